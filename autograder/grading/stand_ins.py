"""Reference stand-ins, computed in a helper process that is bounded in memory and time.

A student's function may call another contract function (``backward`` calls ``forward``); the
jailed kernel then asks the grader for the reference result on the student's arguments. Those
arguments are the student's choice: a request of a few hundred kilobytes can make a reference
broadcast an ``(n, 1)`` against a ``(1, m)`` array and compute gigabytes for many seconds. So the
grader never computes a stand-in in its own process. A helper process per grading process and
assignment (started when a submission's kernel starts, ready before its checks run, so that its
start-up is never counted in a student's call, and reused for the next students) decodes the request,
runs the reference under an address-space limit and sends back the wire form of the result,
which :mod:`autograder.sandbox.wire` bounds in size. Past its time limit it is killed, and a new
one is started at the next request.

The helper is a ``multiprocessing`` "spawn" process: a fresh interpreter, so none of the grading
process's threads, sockets or open gradebook are copied into it. It is a daemon process: it ends
when the grading process exits (and on its own when the pipe closes, if that one is killed).
A grading process that is itself a daemon process (a Dask worker under its default nanny, as
``dask worker``, dask-jobqueue and dask-gateway start it) may still start it: multiprocessing
refuses children to daemon processes only so that none outlives its parent, and this one ends with
its pipe (:mod:`autograder.patches.daemon_children`).
"""

from __future__ import annotations

import json
import multiprocessing
import resource
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from autograder.patches import startup
from autograder.patches.daemon_children import children_allowed
from autograder.sandbox import wire
from autograder.sandbox.wire import StandInLimit

if TYPE_CHECKING:
    from autograder.grading.assignment import Assignment

STARTUP_SECONDS = 120.0


def _serve(connection: Connection, assignment_id: str, memory_bytes: int) -> None:
    """The helper's loop: answer ``(name, encoded args)`` requests until the grader goes away.
    It imports the assignments (and with them nbformat's jsonschema) only after the process's
    start-up change (:mod:`autograder.patches.startup`): this module imports neither."""
    startup.skip_rfc3987_grammar()
    from autograder import assignments

    assignment = assignments.load(assignment_id)
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (in_use + memory_bytes, in_use + memory_bytes))
    connection.send("ready")
    while True:
        try:
            name, encoded_args = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_answer(assignment, name, encoded_args, memory_bytes))


def _answer(assignment: Assignment, name: str, encoded_args: Any, memory_bytes: int) -> tuple[str, str]:
    """("reply", the JSON for the kernel) or ("limit", why the reference could not answer)."""
    try:
        return "reply", json.dumps({"value": wire.encode(assignment.stand_in(name, wire.decode(encoded_args)))})
    except MemoryError:
        return "limit", f"it needs more than {memory_bytes / 1024**2:g} MiB on these arguments"
    except Exception as error:
        return "reply", json.dumps({"error": f"{type(error).__name__}: {str(error)[:500]}"})


class StandIns:
    """The reference stand-ins of one assignment, answered by a bounded helper process."""

    def __init__(self, assignment_id: str, memory_bytes: int) -> None:
        self.assignment_id, self.memory_bytes = assignment_id, memory_bytes
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._ready = False

    def answer(self, name: str, encoded_args: Any, timeout: float) -> str:
        """The JSON reply for the kernel: ``{"value": ...}`` or ``{"error": ...}``.

        Raises :class:`StandInLimit` when the reference needs more memory than allowed or more
        than ``timeout`` seconds (the helper is then replaced)."""
        connection = self.ready()
        connection.send((name, encoded_args))
        if not connection.poll(max(timeout, 0.0)):
            self.close()
            raise StandInLimit(f"it took longer than {timeout:.3g} s on these arguments")
        try:
            kind, text = connection.recv()
        except (EOFError, OSError):
            self.close()
            raise StandInLimit("the reference's process died on these arguments") from None
        if kind == "limit":
            raise StandInLimit(text)
        return text

    def start(self) -> None:
        """Start the helper if it is not running, without waiting for it (a fresh interpreter that
        imports the assignment's reference: a few tenths of a second)."""
        if self._connection is None:
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            self._process = context.Process(
                target=_serve,
                args=(theirs, self.assignment_id, self.memory_bytes),
                name="autograder-stand-ins",
                daemon=True,  # ended by multiprocessing when the grading process exits
            )
            with children_allowed():
                self._process.start()
            theirs.close()
            self._connection, self._ready = ours, False

    def ready(self) -> Connection:
        """The pipe to the helper, once it is ready (started now if it is not running)."""
        self.start()
        connection: Connection = self._connection  # type: ignore[assignment]  # start() set it
        if not self._ready:
            if not connection.poll(STARTUP_SECONDS) or connection.recv() != "ready":
                self.close()
                raise RuntimeError("the process that computes reference stand-ins did not start")
            self._ready = True
        return connection

    def close(self) -> None:
        """Stop the helper process (a new one starts at the next request)."""
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._process.close()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None
        self._ready = False


_HELPERS: dict[tuple[str, int], StandIns] = {}


def for_assignment(assignment_id: str, memory_bytes: int) -> StandIns:
    """The grading process's helper for this assignment and limit (started at its first use)."""
    key = (assignment_id, memory_bytes)
    if key not in _HELPERS:
        _HELPERS[key] = StandIns(assignment_id, memory_bytes)
    return _HELPERS[key]

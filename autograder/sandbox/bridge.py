"""The grader's end of the kernel bridge: call a jailed student's functions, get plain data.

The helper (:mod:`autograder.sandbox.kernel_side`) is installed with an ordinary execute request
that then goes on serving: the grader and the helper talk over a line of their own, a ZeroMQ PAIR
socket that the grader binds in a folder of its own that the kernel sees read-only (it may
connect, not plant or replace a socket there), one JSON frame per request and per answer. Code in
the kernel's process can always speak on the line in the helper's place (a thread of the
student's can connect first, or use the helper's socket): no frame is trusted, so doing so earns
nothing the student's own functions would not. Answers are decoded by
:mod:`autograder.sandbox.wire`, so nothing but numbers, strings, arrays and containers of them
reaches the grader, and the line reads no frame over the client's message size limit (ZeroMQ
drops the connection instead; the kernel's side connects again). A stand-in request (the kernel
asking for a reference function) is passed on to a bounded helper process
(:mod:`autograder.grading.stand_ins`) with what is left of the call's time.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder.sandbox import wire
from autograder.sandbox.client import BoundedKernelClient, ends, events, monitor

HERE = Path(__file__).resolve().parent
BRIDGE_NAME = "__autograder_bridge__"
#: While nothing comes from the kernel, how often the bridge checks that it is alive, in seconds.
ALIVE_CHECK_SECONDS = 0.5
#: How long the kernel's side of the line may take to connect again after the grader dropped a
#: frame over the size limit (it tries every 0.1 s), in seconds.
RECONNECT_SECONDS = 2.0
#: How long an interrupted call may take to answer before its kernel counts as dead, in seconds.
INTERRUPT_SECONDS = 5.0
#: What a call is told when its kernel died under it.
DIED = "the kernel died (os._exit, a crash or the memory limit)"


class StudentError(Exception):
    """The student's code raised, or could not be called; ``type_name`` is the remote type and
    ``line`` the last line of the notebook's code it went through ("" when none)."""

    def __init__(self, type_name: str, message: str, line: str = "") -> None:
        super().__init__(message)
        self.type_name, self.line = type_name, line


class Fault(StudentError):
    """A call that ended without an answer: ``kind`` is timeout, crash or no answer."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind


def install_code(address: str) -> str:
    """The code that installs the bridge in a kernel (its sources travel as text), connects its line
    to ``address`` and serves."""
    wire_source = (HERE / "wire.py").read_text()
    kernel_source = (HERE / "kernel_side.py").read_text()
    return "\n".join(
        [
            "import types as _t, numpy as _np, zmq as _z",
            "_w = _t.ModuleType('autograder_wire')",
            f"exec({wire_source!r}, _w.__dict__)",
            "_k = _t.ModuleType('autograder_bridge')",
            f"exec({kernel_source!r}, _k.__dict__)",
            "_l = _z.Context.instance().socket(_z.PAIR)",
            f"_l.connect({address!r})",
            f"{BRIDGE_NAME} = _k.Bridge(get_ipython().user_ns, _w.encode, _w.decode, _np, _l)",
            "del _t, _np, _z, _w, _k, _l",
            f"{BRIDGE_NAME}.serve()",
        ]
    )


class KernelBridge:
    """Synchronous calls into one jailed kernel, each bounded in wall time."""

    def __init__(
        self,
        manager: AsyncKernelManager,
        client: BoundedKernelClient,
        timeout: float,
        stand_ins: Callable[[str, Any, float], str],
    ) -> None:
        """``manager``: a :class:`~autograder.sandbox.jail.JailedKernelManager`'s. ``stand_ins(name,
        encoded args, seconds)`` answers a stand-in request with the reply's JSON, or raises
        :class:`autograder.sandbox.wire.StandInLimit`."""
        self.manager, self.client, self.timeout, self.stand_ins = manager, client, timeout, stand_ins
        self.dead = False
        #: Why the helper could not be installed, if it could not (every request then fails so).
        self.broken = ""
        #: How often the current call asked for each reference stand-in.
        self.served: Counter[str] = Counter()
        #: The warnings (their messages) the last call gave in the kernel.
        self.warned: tuple[str, ...] = ()
        #: Limits hit while answering stand-in requests, for the record (the caller empties it).
        self.limits_hit: list[str] = []
        #: The line to the helper, once :meth:`install` opened it, and what ZeroMQ reports of it.
        self._line: zmq.asyncio.Socket | None = None
        self._line_events: zmq.Socket | None = None
        self._last_request = 0

    def run(self, code: str) -> None:
        """Execute code and wait for it, ignoring its output (used to replay a notebook)."""
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False, stop_on_error=False)
        run_sync(self._until_idle)(msg_id)

    def install(self) -> None:
        """Open the line, put the helper into the kernel's namespace and wait until it serves."""
        # In the grader's own folder, which the kernel cannot write; a socket path must be short.
        folder = self.manager.jail.lines_dir
        path = next(folder / f"line-{n}" for n in itertools.count(1) if not (folder / f"line-{n}").exists())
        self._line = self.client.context.socket(zmq.PAIR)  # the client's limits on size and queue
        self._line.linger = 0
        self._line_events = monitor(self._line, zmq.EVENT_DISCONNECTED | zmq.EVENT_ACCEPTED)
        self._line.bind(f"ipc://{path}")
        self.manager.jail.hand_over(path)
        code = install_code(f"ipc://{path}")
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False, stop_on_error=False)
        try:
            run_sync(self._until_ready)(msg_id)
        except Fault as fault:
            self.broken = str(fault)
            raise

    def close(self) -> None:
        """Close the line (the kernel's helper then waits for nothing: the kernel is shut down next)."""
        if self._line_events is not None:
            self._line_events.close(linger=0)
        if self._line is not None:
            self._line.close(linger=0)
        self._line = self._line_events = None

    def defined(self, names: Iterable[str]) -> set[str]:
        """Which of these names the notebook defines."""
        return set(self._answer("names", json.dumps(list(names)), ()))

    def value(self, name: str) -> Any:
        """A variable of the notebook, as plain data."""
        return self._answer("value", name, ())

    def call(self, name: str, args: list, stand_ins: Iterable[str] = ()) -> Any:
        """``name(*args)`` in the kernel, with reference stand-ins for ``stand_ins``.

        Changes the function made to its arguments in the kernel are copied onto ``args``,
        as if it had run here.
        """
        stand_ins, self.served, self.warned = tuple(stand_ins), Counter(), ()
        request = json.dumps({"name": name, "args": wire.encode(list(args)), "stand_ins": list(stand_ins)})
        value, after = self._answer("call", request, stand_ins, with_args=True)
        if isinstance(after, list) and len(after) == len(args):
            for original, changed in zip(args, after, strict=True):
                wire.mirror(original, changed)
        return value

    def _answer(self, op: str, request: str, stand_ins: tuple[str, ...], with_args: bool = False) -> Any:
        if self.dead:
            raise Fault("crash", "the kernel had died before this call")
        if self.broken:
            raise Fault("no answer", self.broken)
        self._last_request += 1
        frame = json.dumps({"id": self._last_request, "op": op, "request": request}).encode()
        payload = run_sync(self._exchange)(self._last_request, frame, stand_ins)
        if not isinstance(payload, dict):
            raise Fault("no answer", "the kernel gave no answer (was the notebook's machinery changed?)")
        if "error" in payload:
            error = payload["error"] if isinstance(payload["error"], dict) else {}
            raise StudentError(
                str(error.get("type", "Error"))[:100],
                str(error.get("message", ""))[:2000],
                str(error.get("line", ""))[:200],
            )
        warned = payload.get("warned", [])
        if isinstance(warned, list):  # what the call warned, as the kernel says (it can only harm itself)
            self.warned = tuple(str(message)[:200] for message in warned[:5])
        try:
            value = wire.decode(payload.get("value"))
            return (value, wire.decode(payload.get("args"))) if with_args else value
        except (wire.WireError, ValueError, TypeError) as error:
            raise StudentError("TypeError", f"returned something that is not plain data ({error})") from None

    async def _exchange(self, request_id: int, frame: bytes, stand_ins: tuple[str, ...]) -> Any:
        """Send one request and wait for its answer, serving its stand-in requests meanwhile. Waits on
        the line (no polling loop), and checks every half second that the kernel is alive while
        nothing comes."""
        line = self._line
        deadline = time.monotonic() + self.timeout
        await self._send(frame, deadline)
        while True:
            if time.monotonic() >= deadline:
                await self._interrupt(request_id)
                raise Fault("timeout", f"did not finish within {self.timeout:g} s")
            if not await line.poll(1000 * _until_next_check(deadline), zmq.POLLIN):
                await self._check_line()
                continue
            message = _message(await line.recv())
            if message.get("id") != request_id:
                continue  # the late answer of an interrupted call, or not an answer at all
            if "stand_in" in message:
                await self._send(self._serve(message, stand_ins, deadline).encode(), deadline)
            elif "answer" in message:
                return message["answer"]

    async def _send(self, frame: bytes, deadline: float) -> None:
        """Send a frame to the helper, once its side of the line is connected (by the deadline)."""
        while not await self._line.poll(1000 * _until_next_check(deadline), zmq.POLLOUT):
            await self._check_line()
            if time.monotonic() >= deadline:
                raise Fault("no answer", "the kernel's helper is not connected")
        await self._line.send(frame)

    async def _check_line(self) -> None:
        """After a silence: a Fault if the kernel died, or if the line dropped a frame over the size
        limit (the answer to the current call: the kernel's side then connects again)."""
        if not await self.manager.is_alive():
            self.dead = True
            raise Fault("crash", DIED)
        seen = events(self._line_events)
        if zmq.EVENT_DISCONNECTED not in seen:
            return
        limit = f"it sent a message larger than {self.client.max_message_bytes / 1024**2:g} MiB"
        reconnected = zmq.EVENT_ACCEPTED in seen[len(seen) - seen[::-1].index(zmq.EVENT_DISCONNECTED) :]
        deadline = time.monotonic() + RECONNECT_SECONDS
        while not reconnected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            if not await self.manager.is_alive():
                self.dead = True
                raise Fault("crash", DIED)
            reconnected = zmq.EVENT_ACCEPTED in events(self._line_events)
        if not reconnected:
            self.dead = True
        raise Fault("answer too large", limit)

    async def _interrupt(self, request_id: int) -> None:
        """Interrupt a runaway call and wait for its answer (else call the kernel dead)."""
        await self.manager.interrupt_kernel()
        deadline = time.monotonic() + INTERRUPT_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            if await self._line.poll(1000 * left, zmq.POLLIN):
                message = _message(await self._line.recv())
                if message.get("id") == request_id and "answer" in message:
                    return
        self.dead = True

    async def _until_ready(self, msg_id: str) -> None:
        """Wait until the helper installed by the execute request ``msg_id`` says it serves."""
        iopub = self.client.iopub_channel.socket
        poller = zmq.asyncio.Poller()
        poller.register(self._line, zmq.POLLIN)
        poller.register(iopub, zmq.POLLIN)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            ready = dict(await poller.poll(timeout=1000 * _until_next_check(deadline)))
            if self._line in ready and _message(await self._line.recv()).get("ready") is True:
                return
            if iopub in ready:
                message = await self.client.get_iopub_msg()
                if ends(message, msg_id):
                    raise Fault("no answer", "the grader's helper did not start (was the machinery changed?)")
            elif not ready and not await self.manager.is_alive():
                self.dead = True
                raise Fault("crash", DIED)
        raise Fault("no answer", f"the grader's helper did not start within {self.timeout:g} s")

    async def _until_idle(self, msg_id: str) -> None:
        """Wait for the request ``msg_id`` to end. Waits on the socket (no polling loop), and checks
        every half second that the kernel is alive while nothing comes."""
        client = self.client
        iopub = client.iopub_channel.socket
        deadline = time.monotonic() + self.timeout
        while True:
            if time.monotonic() >= deadline:
                await self.manager.interrupt_kernel()
                raise Fault("timeout", f"did not finish within {self.timeout:g} s")
            if not await iopub.poll(1000 * _until_next_check(deadline), zmq.POLLIN):
                if not await self.manager.is_alive():
                    self.dead = True
                    raise Fault("crash", DIED)
                if client.dropped():
                    limit = client.max_message_bytes / 1024**2
                    raise Fault("answer too large", f"it sent a message larger than {limit:g} MiB")
                continue
            message = await client.get_iopub_msg()
            if ends(message, msg_id):
                return

    def _serve(self, request: dict, stand_ins: tuple[str, ...], deadline: float) -> str:
        """Answer a stand-in request with the reference, for the allowed names only, by the deadline."""
        name = request.get("stand_in")
        try:
            if name not in stand_ins:
                raise PermissionError(f"{name} is not available here")
            self.served[name] += 1
            return self.stand_ins(name, request.get("args"), deadline - time.monotonic())
        except wire.StandInLimit as limit:
            self.limits_hit.append(f"stand-in limit: the reference {name} was not computed: {limit}")
            return json.dumps({"error": f"the reference {name} was not computed: {limit}"})
        except Exception as error:
            return json.dumps({"error": f"{type(error).__name__}: {str(error)[:500]}"})


def _message(frame: bytes) -> dict:
    """A frame from the kernel as a JSON object, or an empty one (whatever else it was)."""
    try:
        message = json.loads(frame)
    except ValueError:
        return {}
    return message if isinstance(message, dict) else {}


def _until_next_check(deadline: float) -> float:
    """Seconds to wait for the kernel before checking that it is alive (never past the deadline)."""
    return min(max(deadline - time.monotonic(), 0.0), ALIVE_CHECK_SECONDS)

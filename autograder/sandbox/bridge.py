"""The grader's end of the kernel bridge: call a jailed student's functions, get plain data.

The helper is installed with an ordinary execute request; then each request is a message on a
Jupyter comm the grader opens to it (cheaper for the kernel than executing code), and each
answer comes back on that comm and is decoded by :mod:`autograder.sandbox.wire`, so nothing but
numbers, strings, arrays and containers of them reaches the grader. A stand-in request
(the kernel asking for a reference function) is passed on to a bounded helper process
(:mod:`autograder.stand_ins`) with what is left of the call's time.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder.sandbox import wire
from autograder.sandbox.client import BoundedKernelClient
from autograder.sandbox.kernel_side import TARGET
from autograder.stand_ins import StandInLimit

HERE = Path(__file__).resolve().parent
BRIDGE_NAME = "__autograder_bridge__"
#: While nothing comes from the kernel, how often the bridge checks that it is alive, in seconds.
ALIVE_CHECK_SECONDS = 0.5


class StudentError(Exception):
    """The student's code raised, or could not be called; ``type_name`` is the remote type."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(message)
        self.type_name = type_name


class Fault(StudentError):
    """A call that ended without an answer: ``kind`` is timeout, crash or no answer."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind


def install_code() -> str:
    """The code that installs the bridge in a kernel (its sources travel as text)."""
    wire_source = (HERE / "wire.py").read_text()
    kernel_source = (HERE / "kernel_side.py").read_text()
    return "\n".join(
        [
            "import types as _t, numpy as _np",
            "_w = _t.ModuleType('autograder_wire')",
            f"exec({wire_source!r}, _w.__dict__)",
            "_k = _t.ModuleType('autograder_bridge')",
            f"exec({kernel_source!r}, _k.__dict__)",
            "_i = get_ipython()",
            f"{BRIDGE_NAME} = _k.Bridge(_i.user_ns, _w.encode, _w.decode, _np, _i.kernel.raw_input)",
            f"_i.kernel.comm_manager.register_target({TARGET!r}, {BRIDGE_NAME}.open)",
            "del _t, _np, _w, _k, _i",
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
        """``stand_ins(name, encoded args, seconds)`` answers a stand-in request with the reply's
        JSON, or raises :class:`autograder.stand_ins.StandInLimit`."""
        self.manager, self.client, self.timeout, self.stand_ins = manager, client, timeout, stand_ins
        self.dead = False
        #: The comm the requests go on, once :meth:`install` opened it.
        self.comm_id = ""
        #: How often the current call asked for each reference stand-in.
        self.served: Counter[str] = Counter()
        #: The client's connection was dropped (an answer over the size limit); the kernel may be fine.
        self.lost = False
        #: Limits hit while answering stand-in requests, for the record (the caller empties it).
        self.limits_hit: list[str] = []

    def run(self, code: str) -> None:
        """Execute code and wait for it, ignoring its output (used to replay a notebook)."""
        msg_id = self.client.execute(code, store_history=False, allow_stdin=True, stop_on_error=False)
        run_sync(self._exchange)(msg_id, ())

    def install(self) -> None:
        """Put the helper into the kernel's namespace and open the comm the requests go on."""
        self.run(install_code())
        self.comm_id = uuid.uuid4().hex
        self._send("comm_open", {"comm_id": self.comm_id, "target_name": TARGET, "data": {}})

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
        stand_ins, self.served = tuple(stand_ins), Counter()
        request = json.dumps({"name": name, "args": wire.encode(list(args)), "stand_ins": list(stand_ins)})
        value, after = self._answer("call", request, stand_ins, with_args=True)
        if isinstance(after, list) and len(after) == len(args):
            for original, changed in zip(args, after, strict=True):
                wire.mirror(original, changed)
        return value

    def _send(self, msg_type: str, content: dict) -> str:
        """Send a message on the shell channel; its id."""
        message = self.client.session.msg(msg_type, content)
        self.client.shell_channel.send(message)
        return message["header"]["msg_id"]

    def _answer(self, op: str, request: str, stand_ins: tuple[str, ...], with_args: bool = False) -> Any:
        if self.dead:
            raise Fault("crash", "the kernel had died before this call")
        if self.lost:
            raise Fault("answer too large", "an earlier answer over the size limit closed the connection")
        msg_id = self._send("comm_msg", {"comm_id": self.comm_id, "data": {"op": op, "request": request}})
        payload = run_sync(self._exchange)(msg_id, stand_ins)
        if not isinstance(payload, dict):
            raise Fault("no answer", "the kernel gave no answer (was the notebook's machinery changed?)")
        if "error" in payload:
            error = payload["error"] if isinstance(payload["error"], dict) else {}
            raise StudentError(str(error.get("type", "Error"))[:100], str(error.get("message", ""))[:2000])
        try:
            value = wire.decode(payload.get("value"))
            return (value, wire.decode(payload.get("args"))) if with_args else value
        except (wire.WireError, ValueError, TypeError) as error:
            raise StudentError("TypeError", f"returned something that is not plain data ({error})") from None

    async def _exchange(self, msg_id: str, stand_ins: tuple[str, ...]) -> Any:
        """Wait for the request ``msg_id`` to end, serving its stand-in requests; return the answer it
        sent on the bridge's comm, if any, once the kernel is idle. Waits on the sockets (no polling
        loop), and checks every half second that the kernel is alive while nothing comes."""
        client = self.client
        stdin, iopub = client.stdin_channel.socket, client.iopub_channel.socket
        poller = zmq.asyncio.Poller()
        poller.register(stdin, zmq.POLLIN)
        poller.register(iopub, zmq.POLLIN)
        deadline = time.monotonic() + self.timeout
        payload = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                await self._interrupt(msg_id)
                raise Fault("timeout", f"did not finish within {self.timeout:g} s")
            ready = dict(await poller.poll(timeout=1000 * min(left, ALIVE_CHECK_SECONDS)))
            if stdin in ready:
                message = await client.get_stdin_msg()
                if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "input_request":
                    client.input(self._serve(message["content"].get("prompt", ""), stand_ins, deadline))
                continue
            if iopub not in ready:
                if not await self.manager.is_alive():
                    self.dead = True
                    raise Fault("crash", "the kernel died (os._exit, a crash or the memory limit)")
                if client.dropped():
                    self.lost = True
                    limit = client.max_message_bytes / 1024**2
                    raise Fault("answer too large", f"it sent a message larger than {limit:g} MiB")
                continue
            message = await client.get_iopub_msg()
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "comm_msg" and content.get("comm_id") == self.comm_id:
                payload = content.get("data")
            elif kind == "status" and content.get("execution_state") == "idle":
                return payload

    async def _interrupt(self, msg_id: str) -> None:
        """Interrupt a runaway call and wait until the kernel is idle again (else call it dead)."""
        await self.manager.interrupt_kernel()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if await self.client.iopub_channel.msg_ready():
                message = await self.client.get_iopub_msg()
                if (
                    message["parent_header"].get("msg_id") == msg_id
                    and message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"
                ):
                    return
            else:
                await asyncio.sleep(0.01)
        self.dead = True

    def _serve(self, prompt: str, stand_ins: tuple[str, ...], deadline: float) -> str:
        """Answer a stand-in request with the reference, for the allowed names only, by the deadline."""
        try:
            request = json.loads(prompt)
            name = request["name"]
            if name not in stand_ins:
                raise PermissionError(f"{name} is not available here")
            self.served[name] += 1
            return self.stand_ins(name, request["args"], deadline - time.monotonic())
        except StandInLimit as limit:
            self.limits_hit.append(f"stand-in limit: the reference {request['name']} was not computed: {limit}")
            return json.dumps({"error": f"the reference {request['name']} was not computed: {limit}"})
        except Exception as error:
            return json.dumps({"error": f"{type(error).__name__}: {str(error)[:500]}"})

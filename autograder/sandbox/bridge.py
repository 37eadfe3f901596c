"""The grader's end of the kernel bridge: call a jailed student's functions, get plain data.

Requests are ordinary execute requests; answers come back as display data under a
private MIME type and are decoded by :mod:`autograder.sandbox.wire`, so nothing but
numbers, strings, arrays and containers of them reaches the grader. A stand-in request
(the kernel asking for a reference function) is passed on to a bounded helper process
(:mod:`autograder.stand_ins`) with what is left of the call's time.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder.sandbox import wire
from autograder.sandbox.client import BoundedKernelClient
from autograder.sandbox.kernel_side import MIME
from autograder.stand_ins import StandInLimit

HERE = Path(__file__).resolve().parent
BRIDGE_NAME = "__autograder_bridge__"


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
            "from IPython.display import display as _d",
            "_w = _t.ModuleType('autograder_wire')",
            f"exec({wire_source!r}, _w.__dict__)",
            "_k = _t.ModuleType('autograder_bridge')",
            f"exec({kernel_source!r}, _k.__dict__)",
            f"{BRIDGE_NAME} = _k.Bridge(get_ipython().user_ns, _w.encode, _w.decode, _d, _np)",
            "del _t, _np, _d, _w, _k",
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
        #: How often the current call asked for each reference stand-in.
        self.served: Counter[str] = Counter()
        #: The client's connection was dropped (an answer over the size limit); the kernel may be fine.
        self.lost = False
        #: Limits hit while answering stand-in requests, for the record (the caller empties it).
        self.limits_hit: list[str] = []

    def run(self, code: str) -> None:
        """Execute code and wait for it, ignoring its output (used to replay a notebook)."""
        run_sync(self._exchange)(code, ())

    def install(self) -> None:
        """Put the helper into the kernel's namespace."""
        self.run(install_code())

    def defined(self, names: Iterable[str]) -> set[str]:
        """Which of these names the notebook defines."""
        return set(self._answer(f"{BRIDGE_NAME}.names({json.dumps(list(names))!r})", ()))

    def value(self, name: str) -> Any:
        """A variable of the notebook, as plain data."""
        return self._answer(f"{BRIDGE_NAME}.value({name!r})", ())

    def call(self, name: str, args: list, stand_ins: Iterable[str] = ()) -> Any:
        """``name(*args)`` in the kernel, with reference stand-ins for ``stand_ins``.

        Changes the function made to its arguments in the kernel are copied onto ``args``,
        as if it had run here.
        """
        stand_ins, self.served = tuple(stand_ins), Counter()
        request = json.dumps({"name": name, "args": wire.encode(list(args)), "stand_ins": list(stand_ins)})
        value, after = self._answer(f"{BRIDGE_NAME}.call({request!r})", stand_ins, with_args=True)
        if isinstance(after, list) and len(after) == len(args):
            for original, changed in zip(args, after, strict=True):
                wire.mirror(original, changed)
        return value

    def _answer(self, code: str, stand_ins: tuple[str, ...], with_args: bool = False) -> Any:
        if self.dead:
            raise Fault("crash", "the kernel had died before this call")
        if self.lost:
            raise Fault("answer too large", "an earlier answer over the size limit closed the connection")
        payload = run_sync(self._exchange)(code, stand_ins)
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

    async def _exchange(self, code: str, stand_ins: tuple[str, ...]) -> Any:
        """Send code; serve stand-in requests; return our MIME payload once the kernel is idle."""
        client = self.client
        msg_id = client.execute(code, store_history=False, allow_stdin=True, stop_on_error=False)
        deadline = time.monotonic() + self.timeout
        payload = None
        last_alive_check = time.monotonic()
        while True:
            if time.monotonic() > deadline:
                await self._interrupt(msg_id)
                raise Fault("timeout", f"did not finish within {self.timeout:g} s")
            if await client.stdin_channel.msg_ready():
                message = await client.get_stdin_msg()
                if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "input_request":
                    client.input(self._serve(message["content"].get("prompt", ""), stand_ins, deadline))
                continue
            if not await client.iopub_channel.msg_ready():
                if time.monotonic() - last_alive_check > 0.5:
                    last_alive_check = time.monotonic()
                    if not await self.manager.is_alive():
                        self.dead = True
                        raise Fault("crash", "the kernel died (os._exit, a crash or the memory limit)")
                    if client.dropped():
                        self.lost = True
                        limit = client.max_message_bytes / 1024**2
                        raise Fault("answer too large", f"it sent a message larger than {limit:g} MiB")
                await asyncio.sleep(0.0005)
                continue
            message = await client.get_iopub_msg()
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, data = message["msg_type"], message["content"].get("data")
            if kind == "display_data" and isinstance(data, dict) and MIME in data:
                payload = data[MIME]
            elif kind == "status" and message["content"].get("execution_state") == "idle":
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

"""The grader's client of a jailed kernel: no message from the kernel larger than a set size.

ZeroMQ reads a whole message into memory before handing it over, so a kernel that sends one
200 MB output would make the grader hold 200 MB (and the notebook, record and feedback made from
it, several times more). ``BoundedKernelClient`` sets ZeroMQ's own ``MAXMSGSIZE`` on every socket
it opens: a larger message is never read; ZeroMQ drops the connection that carried it instead,
for good. A monitor on each channel notices that drop, so the grader can name it (an output or an
answer over the limit) and go on with a new client. It also sets ``RCVHWM``, so that at most
``max_queued_messages`` messages wait on the grader's side of a connection; the rest wait in the
kernel, inside the jail's memory limit.

A kernel's code can also send messages signed with the kernel's key that are not Jupyter
messages at all (content that is not JSON, a header that is a list). Such a message is counted
and handed on as an empty message that belongs to no request, which everyone ignores.
"""

from __future__ import annotations

import time
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Integer, Type, default
from zmq.utils.monitor import parse_monitor_message

WATCHED = ("shell_channel", "iopub_channel", "stdin_channel", "control_channel")
PARTS = ("header", "parent_header", "metadata", "content")
#: How often a socket tries to connect to a kernel that is not listening yet, in milliseconds.
RECONNECT_MS = 10


class TolerantChannel(AsyncZMQSocketChannel):
    """A channel that hands on a message it cannot read as an empty one that answers no request."""

    malformed = 0

    async def _recv(self, **kwargs) -> dict:
        raw = await self.socket.recv_multipart(**kwargs)
        try:
            msg = self.session.deserialize(self.session.feed_identities(raw)[1])
            if all(isinstance(msg.get(part), dict) for part in PARTS) and isinstance(msg.get("msg_type"), str):
                return msg
        except Exception:  # whatever the kernel sent: counted and ignored below
            pass
        self.malformed += 1
        return {"header": {}, "msg_id": "", "msg_type": "malformed", "parent_header": {}, "metadata": {},
                "content": {}, "buffers": []}  # fmt: skip


class BoundedKernelClient(AsyncKernelClient):
    """An async kernel client whose sockets refuse messages over ``max_message_bytes``."""

    max_message_bytes = Integer(
        32 * 1024**2,
        help="Largest message the grader reads from a student's kernel (one output, one answer), in bytes;"
        " a larger one is not read and costs the cell or call that sent it.",
    ).tag(config=True)
    max_queued_messages = Integer(
        4, help="Messages from a student's kernel that may wait, unread, in the grader per channel."
    ).tag(config=True)

    shell_channel_class = Type(TolerantChannel)
    iopub_channel_class = Type(TolerantChannel)
    stdin_channel_class = Type(TolerantChannel)
    control_channel_class = Type(TolerantChannel)

    _monitors: tuple[zmq.Socket, ...] = ()
    _lost = False

    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, self.max_message_bytes)
        context.setsockopt(zmq.RCVHWM, self.max_queued_messages)
        # The client connects before the kernel has bound its sockets: try again every 10 ms, not
        # ZeroMQ's 100 ms, which a worker spent idle while the kernel was ready.
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        return context

    def start_channels(self, *args, **kwargs) -> None:
        super().start_channels(*args, **kwargs)
        self._monitors = tuple(monitor(getattr(self, name).socket, zmq.EVENT_DISCONNECTED) for name in WATCHED)

    def stop_channels(self) -> None:
        for reader in self._monitors:
            reader.close(linger=0)
        self._monitors = ()
        super().stop_channels()

    def dropped(self) -> bool:
        """Whether a channel lost its connection since the channels were opened (a message over the
        limit, or the kernel went away); once true, it stays true: use a new client."""
        if any(zmq.EVENT_DISCONNECTED in events(reader) for reader in self._monitors):
            self._lost = True
        return self._lost

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        """jupyter_client's wait for a kernel to answer, without its last step, which waits until
        IOPub has been silent for 0.2 s (0.15 s of a student's 0.96 s in a worker, idle): ready once a
        ``kernel_info`` request is answered and its idle status came on IOPub (so IOPub is
        connected, as jupyter_client checks, and that request's messages are read)."""
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:  # the reply to this request, or to an earlier one that took longer than a second
                request = reply["parent_header"].get("msg_id", "")
                if reply["msg_type"] == "kernel_info_reply" and await self._idle_after(request, 0.2):
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def _idle_after(self, msg_id: str, seconds: float) -> bool:
        """Whether the idle status of request ``msg_id`` comes on IOPub within ``seconds``."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            try:
                message = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if ends(message, msg_id):
                return True
        return False

    wait_for_ready = _async_wait_for_ready

    def malformed(self) -> int:
        """How many messages this client could not read (and ignored) so far."""
        return sum(getattr(self, name).malformed for name in WATCHED)


def ends(message: dict, msg_id: str) -> bool:
    """Whether an IOPub message is the idle status that ends request ``msg_id``."""
    return (
        message["parent_header"].get("msg_id") == msg_id
        and message["msg_type"] == "status"
        and message["content"].get("execution_state") == "idle"
    )


def monitor(socket: zmq.Socket, wanted: int) -> zmq.Socket:
    """A socket on which ZeroMQ reports the ``wanted`` events of ``socket`` (read with :func:`events`;
    close it before ``socket``)."""
    address = f"inproc://autograder-monitor-{id(socket)}"
    socket.monitor(address, wanted)
    reader = zmq.Context.shadow(socket.context.underlying).socket(zmq.PAIR)
    reader.connect(address)
    return reader


def events(reader: zmq.Socket) -> list[int]:
    """The events a :func:`monitor` reported since the last call, without waiting."""
    seen = []
    while reader.poll(0):
        seen.append(parse_monitor_message(reader.recv_multipart())["event"])
    return seen

"""The grader's kernel client, with a real jailed kernel: a message over the size limit is never
read (the drop is noticed and a new client goes on with the same kernel), and a signed message that
is not a Jupyter message is counted and handed on as one that answers nothing."""

from __future__ import annotations

import asyncio

from traitlets.config import Config

from autograder.sandbox.client import BoundedKernelClient
from autograder.sandbox.jail import JailedKernelManager

MiB = 1024**2


async def run(code: str, client: BoundedKernelClient) -> list[dict]:
    """Execute code; the iopub messages of the request until idle (or until none come for 5 s)."""
    msg_id = client.execute(code)
    messages = []
    while True:
        try:
            message = await client.get_iopub_msg(timeout=5)
        except Exception:  # queue.Empty: nothing more came
            return messages
        messages.append(message)
        if message["parent_header"].get("msg_id") == msg_id and message["content"].get("execution_state") == "idle":
            return messages


def with_kernel(test) -> list:
    async def main() -> list:
        config = Config()
        config.BoundedKernelClient.max_message_bytes = MiB
        manager = JailedKernelManager(kernel_name="python3", config=config)
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            return await test(manager, client)
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    return asyncio.run(main())


def test_a_message_over_the_limit_is_not_read_and_a_new_client_goes_on_with_the_same_kernel() -> None:
    async def test(manager: JailedKernelManager, client: BoundedKernelClient) -> list:
        assert client.max_message_bytes == MiB  # from the configuration, through the manager
        await run("kept = 41", client)
        small = await run("print('x' * 1000)", client)
        dropped_after_small = client.dropped()
        await run("print('x' * 2 * 2**20)", client)
        fresh = manager.client()
        fresh.start_channels()
        await fresh.wait_for_ready(timeout=60)
        after = await run("print(kept + 1)", fresh)
        fresh.stop_channels()
        texts = [m["content"].get("text") for m in after if m["msg_type"] == "stream"]
        return [any(m["msg_type"] == "stream" for m in small), dropped_after_small, client.dropped(), texts]

    assert with_kernel(test) == [True, False, True, ["42\n"]]


def test_a_signed_message_that_is_not_a_jupyter_message_is_counted_and_answers_nothing() -> None:
    async def test(manager: JailedKernelManager, client: BoundedKernelClient) -> list:
        code = (
            "k = get_ipython().kernel\n"
            "k.session.send(k.iopub_socket, 'stream', content=b'not JSON', parent=k.get_parent())"
        )
        messages = await run(code, client)
        return [client.malformed(), [m["parent_header"] for m in messages if m["msg_type"] == "malformed"]]

    assert with_kernel(test) == [1, [{}]]


def test_once_ready_the_next_request_is_answered_in_full() -> None:
    async def test(manager: JailedKernelManager, client: BoundedKernelClient) -> list:
        messages = await run("print(6 * 7)", client)
        # A kernel that took over a second to start may still send the statuses of a kernel_info
        # request that was repeated; nbclient and the bridge ignore messages of other requests.
        ours = [message for message in messages if message["parent_header"].get("msg_type") == "execute_request"]
        return [(message["msg_type"], message["content"].get("text")) for message in ours]

    assert with_kernel(test) == [("status", None), ("execute_input", None), ("stream", "42\n"), ("status", None)]

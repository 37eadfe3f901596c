"""The kernel bridge on a real jailed kernel: calls over the helper's line, stand-ins, and what a
call that runs away, kills its kernel or sends an answer over the size limit costs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from jupyter_core.utils import run_sync

from autograder.sandbox.bridge import Fault, KernelBridge, StudentError
from autograder.sandbox.jail import JailedKernelManager

NOTEBOOK = """
import numpy as np
def double(x):
    return 2 * np.asarray(x)
def twice_forward(x):
    return forward(x) + forward(x)
def scale_in_place(values):
    values[0] = 100.0
def loop(x):
    while True:
        pass
def die(x):
    import os
    os._exit(1)
"""
OVERSIZE = """
import zmq
_send = zmq.Socket.send
def _oversize(self, data, *args, **kwargs):
    if isinstance(data, bytes) and b'"answer": {"value": 4242' in data:
        data = b"x" * 40 * 2**20
    return _send(self, data, *args, **kwargs)
zmq.Socket.send = _oversize
def huge(x):
    return 4242
"""


@pytest.fixture
def bridge(tmp_path: Path) -> Iterator[Callable[..., KernelBridge]]:
    """Bridges into fresh jailed kernels that ran the given code (1 s per call; ``forward`` stands
    in as the reference ``x + 1``), installed unless ``install=False``; each kernel is shut down
    after the test. (The line in ``user`` isolation is used by tests/pipeline/test_gradescope.py,
    with a Python that the kernel's user can read.)"""
    managers: list[JailedKernelManager] = []
    bridges: list[KernelBridge] = []

    def reference(name: str, args: object, seconds: float) -> str:
        return json.dumps({"value": args["list"][0] + 1})

    def make(code: str, install: bool = True) -> KernelBridge:
        manager = JailedKernelManager(kernel_name="python3")
        run_sync(manager.start_kernel)(cwd=str(tmp_path))
        managers.append(manager)
        client = manager.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        setup = KernelBridge(manager, client, 60, reference)
        setup.run(code)
        bridges.append(KernelBridge(manager, client, 1.0, reference))
        if install:
            bridges[-1].install()
        return bridges[-1]

    yield make
    for made in bridges:
        made.close()
        made.client.stop_channels()
    for manager in managers:
        run_sync(manager.shutdown_kernel)(now=True)


def test_calls_values_and_names_come_back_as_plain_data(bridge) -> None:
    jailed = bridge(NOTEBOOK + "ANSWER = {'risk': 0.585}")
    assert jailed.defined(["double", "ANSWER", "missing"]) == {"double", "ANSWER"}
    assert jailed.value("ANSWER") == {"risk": 0.585}
    assert jailed.call("double", [[1.0, 2.5]]).tolist() == [2.0, 5.0]
    values = [1.0, 2.0]
    assert jailed.call("scale_in_place", [values]) is None
    assert values == [100.0, 2.0]  # the change made in the kernel is mirrored
    with pytest.raises(StudentError, match="unsupported operand") as error:
        jailed.call("double", [None])
    assert error.value.type_name == "TypeError"


def test_a_function_gets_the_stand_ins_it_is_allowed_and_no_other(bridge) -> None:
    jailed = bridge(NOTEBOOK)
    assert jailed.call("twice_forward", [1.0], stand_ins=("forward",)) == 4.0
    assert jailed.served == {"forward": 2}
    with pytest.raises(StudentError, match="name 'forward' is not defined"):
        jailed.call("twice_forward", [1.0])


def test_a_call_that_runs_away_is_interrupted_and_the_next_call_is_answered(bridge) -> None:
    jailed = bridge(NOTEBOOK)
    with pytest.raises(Fault, match="did not finish within 1 s") as fault:
        jailed.call("loop", [1])
    assert fault.value.kind == "timeout" and not jailed.dead
    assert jailed.call("double", [3]) == 6


def test_a_call_that_kills_the_kernel_is_a_crash_and_so_is_every_later_call(bridge) -> None:
    jailed = bridge(NOTEBOOK)
    with pytest.raises(Fault) as fault:
        jailed.call("die", [1])
    assert fault.value.kind == "crash" and jailed.dead
    with pytest.raises(Fault, match="had died before this call"):
        jailed.call("double", [3])


def test_an_answer_over_the_size_limit_is_not_read_and_the_line_connects_again(bridge) -> None:
    jailed = bridge(NOTEBOOK + OVERSIZE)
    with pytest.raises(Fault, match="larger than 32 MiB") as fault:
        jailed.call("huge", [1])
    assert fault.value.kind == "answer too large" and not jailed.dead
    assert jailed.call("double", [3]) == 6


def test_a_helper_that_cannot_start_fails_every_request_at_once(bridge) -> None:
    jailed = bridge("get_ipython = None", install=False)
    with pytest.raises(Fault, match=r"did not start \(was the machinery changed") as fault:
        jailed.install()  # its install request ended in an error: no waiting for the time limit
    assert fault.value.kind == "no answer"
    with pytest.raises(Fault, match=r"did not start \(was the machinery changed"):
        jailed.call("double", [3])


def test_the_line_is_bound_where_the_kernel_cannot_plant_anything(bridge) -> None:
    """Round three, item 8: links named like the line in the kernel's own socket folder change
    nothing; the line is in the grader's folder, which the kernel sees read-only."""
    plant = """
import os
for n in range(1, 4):
    os.symlink("/etc/passwd", os.path.join(os.environ["JUPYTER_RUNTIME_DIR"], f"line-{n}"))
"""
    jailed = bridge(NOTEBOOK + "\n" + plant)
    jail = jailed.manager.jail
    assert [path.name for path in jail.lines_dir.iterdir()] == ["line-1"]
    assert jail.lines_dir.joinpath("line-1").is_socket()
    assert sorted(path.name for path in jail.runtime_dir.glob("line-*")) == ["line-1", "line-2", "line-3"]
    assert jailed.call("double", [[1.0]]).tolist() == [2.0]

"""The stand-in helper process: the reference's answer on small arguments, and a named limit
(never the grader's memory or time) on arguments that would need gigabytes or seconds."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from autograder.assignments.sheet12 import reference
from autograder.grading.stand_ins import StandIns
from autograder.sandbox import wire
from autograder.sandbox.wire import StandInLimit


def forward_args(n: int, hidden: int) -> list:
    """forward(X, params) with X (n, 1) and a (1, hidden) bias: Z1 is broadcast to (n, hidden)."""
    params = {
        "W1": np.ones((1, hidden)),
        "b1": np.zeros((1, hidden)),
        "W2": np.ones((hidden, 1)),
        "b2": np.zeros((1, 1)),
    }
    return [np.linspace(-1, 1, n).reshape(n, 1), params]


@pytest.fixture
def helper():
    stand_ins = StandIns("sheet12", memory_bytes=256 * 1024**2)
    yield stand_ins
    stand_ins.close()


def test_the_reference_answers_a_small_request_exactly(helper: StandIns) -> None:
    args = forward_args(4, 2)
    reply = json.loads(helper.answer("forward", wire.encode(args), timeout=60))
    y_hat, cache = wire.decode(reply["value"])
    expected_y_hat, expected_cache = reference.forward(*args)
    np.testing.assert_array_equal(y_hat, expected_y_hat)
    assert cache.keys() == expected_cache.keys()


def test_a_name_that_is_no_stand_in_is_refused_in_the_reply(helper: StandIns) -> None:
    reply = json.loads(helper.answer("gd_step", wire.encode([]), timeout=60))
    assert reply == {"error": "PermissionError: gd_step is not available here"}


def test_arguments_that_need_more_memory_than_allowed_are_a_named_limit_and_the_helper_goes_on(
    helper: StandIns,
) -> None:
    helper.answer("forward", wire.encode(forward_args(4, 2)), timeout=60)  # started
    with pytest.raises(StandInLimit, match=r"^it needs more than 256 MiB on these arguments$"):
        helper.answer("forward", wire.encode(forward_args(6000, 6000)), timeout=60)
    reply = json.loads(helper.answer("forward", wire.encode(forward_args(4, 2)), timeout=60))
    assert "value" in reply


def test_arguments_that_take_longer_than_the_time_left_are_a_named_limit_and_a_new_helper_answers_next() -> None:
    helper = StandIns("sheet12", memory_bytes=8 * 1024**3)
    try:
        helper.answer("forward", wire.encode(forward_args(4, 2)), timeout=60)
        slow = helper._process.pid
        with pytest.raises(StandInLimit, match=r"^it took longer than 0\.05 s on these arguments$"):
            helper.answer("forward", wire.encode(forward_args(8000, 8000)), timeout=0.05)
        assert not Path(f"/proc/{slow}").exists()  # killed and reaped
        reply = json.loads(helper.answer("forward", wire.encode(forward_args(4, 2)), timeout=60))
        assert "value" in reply and helper._process.pid != slow
    finally:
        helper.close()


def test_closing_stops_the_helper_process(helper: StandIns) -> None:
    helper.answer("forward", wire.encode(forward_args(4, 2)), timeout=60)
    pid = helper._process.pid
    helper.close()
    assert not Path(f"/proc/{pid}").exists()


def _answer_in_this_process(results: multiprocessing.Queue) -> None:
    helper = StandIns("sheet12", memory_bytes=256 * 1024**2)
    try:
        reply = json.loads(helper.answer("sigmoid", wire.encode([np.zeros((1, 2))]), timeout=60))
        results.put(wire.decode(reply["value"]).tolist())
    except BaseException as error:
        results.put(f"{type(error).__name__}: {error}")
    finally:
        helper.close()


def test_a_daemon_grading_process_still_gets_its_helper() -> None:
    """A Dask worker under its default nanny is a daemon process, to which multiprocessing refuses
    children: every student was "not graded" on workers started as the README starts them."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    worker = context.Process(target=_answer_in_this_process, args=(results,), daemon=True)
    worker.start()
    assert results.get(timeout=120) == [[0.5, 0.5]]
    worker.join(timeout=30)

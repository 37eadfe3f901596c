"""Unit tests of the self-check kit: its call counting (:func:`autograder.grading.selfcheck_kit.call_counting`:
in a notebook's namespace the other functions are wrapped for the call only; the grader's side,
the stand-ins a jailed function was served, is held by the sample ``numerical_backward`` through
the real kernel bridge), its tabulated helpers, its comparisons to a number of decimals and the
layout of its messages."""

from __future__ import annotations

import runpy
from typing import Any

import numpy as np
import pytest

from autograder.grading.selfcheck_kit import (
    Checker,
    SelfCheckFailed,
    call,
    call_counting,
    close,
    expected_values_withheld,
    helpers_replaced,
    report,
    to_decimals,
)
from autograder.sandbox.bridge import StudentError

NOTEBOOK = """
def forward(x):
    return 2 * x

def numerical(x):
    return sum(forward(x + step) for step in (-1, 1)) / 2

def broken(x):
    forward(x)
    raise ValueError("no")
"""


def notebook() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(NOTEBOOK, namespace)  # the functions' globals are this namespace, as in a kernel
    return namespace


def test_calls_into_the_notebooks_functions_are_counted_for_the_call_only() -> None:
    namespace = notebook()
    original = namespace["forward"]
    value, problems, calls = call_counting("numerical", namespace["numerical"], ("forward", "sigmoid"), 3)
    assert (value, problems, calls) == (6.0, [], {"forward": 2, "sigmoid": 0})
    assert namespace["forward"] is original


def test_a_function_that_raises_is_counted_and_the_namespace_restored() -> None:
    namespace = notebook()
    original = namespace["forward"]
    value, problems, calls = call_counting("broken", namespace["broken"], ("forward",), 3)
    assert value is None and problems[0].message == "broken raised ValueError: no" and calls == {"forward": 1}
    assert namespace["forward"] is original


def test_an_error_names_the_students_failing_line(tmp_path) -> None:
    cell = tmp_path / "ipykernel_4321" / "1234.py"  # as ipykernel keeps a cell's code, so its lines can be shown
    cell.parent.mkdir()
    cell.write_text("import numpy as np\n\ndef forward(X):\n    return X @ np.ones((3, 2))\n")
    namespace = runpy.run_path(str(cell))
    _, problems = call("forward", namespace["forward"], np.ones((4, 2)))
    assert problems[0].message.startswith("forward raised ValueError: matmul")
    assert problems[0].message.endswith(" (in forward: return X @ np.ones((3, 2)))")


def test_an_error_from_the_grader_names_the_line_the_kernel_saw_and_no_line_of_the_grader() -> None:
    """Seen through the grader's bridge, an error carries the student's line from the kernel; the
    frames of the grader's own code (the bridge raising it) are never shown."""

    def remote(*args: object) -> None:
        raise StudentError("IndexError", "list index out of range", "deep_linear_forward: return weights[2] @ x")

    _, problems = call("deep_linear_forward", remote, 1)
    assert problems[0].message == (
        "deep_linear_forward raised IndexError: list index out of range (in deep_linear_forward: return weights[2] @ x)"
    )
    _, problems = call("deep_linear_forward", lambda *args: (_ for _ in ()).throw(StudentError("KeyError", "'W1'")))
    assert problems[0].message == "deep_linear_forward raised KeyError: 'W1'"


def test_a_tabulated_helper_answers_the_known_calls_and_passes_the_others_on() -> None:
    """While ``numerical`` is judged, its helper ``forward`` (wrong here: it triples) answers the
    calls the check knows with their right results, other calls with its own; afterwards the
    notebook's own function is back."""
    namespace = notebook()
    namespace["forward"] = lambda x: 3 * x
    own = namespace["forward"]
    known = {"forward": [((np.array([1.0, 2.0]),), np.array([2.0, 4.0]), 1e-9), ((0.0,), 0.0, 1e-9)]}
    with helpers_replaced(namespace["numerical"], known):
        helper = namespace["forward"]
        np.testing.assert_array_equal(helper(np.array([1.0, 2.0 + 1e-12])), [2.0, 4.0])
        assert helper(np.array([0.0])) == 0.0  # a one-element array is the known number 0
        assert helper(x=0.0) == 0.0  # by keyword
        assert helper(5.0) == 15.0 and helper(np.array([1.0, 2.1]))[1] == pytest.approx(6.3)
        known_result = helper(np.array([1.0, 2.0]))
        known_result[0] = 99.0  # the caller's copy: the table stays right
        np.testing.assert_array_equal(helper(np.array([1.0, 2.0])), [2.0, 4.0])
    assert namespace["forward"] is own
    with helpers_replaced(lambda x: x, known):  # a function from elsewhere (or the grader's remote one)
        assert namespace["forward"] is own


def test_values_given_to_some_decimals_are_compared_to_them() -> None:
    assert not close(0.58454, 0.585)
    with to_decimals(3):
        assert close(0.58454, 0.585) and close(np.array([0.7310586]), np.array([0.7311]))
        assert not close(0.5839, 0.585)
    problems = Checker({}).compare_scalar("risk", 0.6966, 0.6965)
    assert problems and "expected 0.6965, got 0.6966" in problems[0].message


CHECK = Checker({"transposed": "it is the transpose"})


def test_long_values_are_shown_one_above_the_other_with_the_mistake_below() -> None:
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    (problem,) = CHECK.compare_dict(
        "grads", {"dW": expected.T}, {"dW": expected}, {"transposed": {"dW": expected.T}}, "on x"
    )
    assert problem.message.split("\n") == [
        "grads['dW'] on x:",
        "    expected [[1., 2.],",
        "              [3., 4.]]",
        "    got      [[1., 3.],",
        "              [2., 4.]]",
        "It looks like it is the transpose [transposed].",
    ]
    with pytest.raises(SelfCheckFailed) as failed:
        report("backward", [problem], "on x")
    assert failed.value._render_traceback_()[1:3] == ["✗ grads['dW'] on x:", "      expected [[1., 2.],"]


def test_short_values_stay_on_one_line_and_withheld_ones_are_not_shown() -> None:
    assert CHECK.compare_scalar("risk", 2.0, 1.0, where="on x")[0].message == "risk on x: expected 1, got 2."
    with expected_values_withheld():
        (problem,) = CHECK.compare_array("Y", np.array([[2.0]]), np.array([[1.0]]), where="on a hidden case")
    assert problem.message == "Y on a hidden case: got [[2.]], which is not the expected value."

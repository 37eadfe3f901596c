"""Unit tests of the self-check kit: its call counting (:func:`autograder.selfcheck_kit.call_counting`:
in a notebook's namespace the other functions are wrapped for the call only; the grader's side,
the stand-ins a jailed function was served, is held by the sample ``numerical_backward`` through
the real kernel bridge) and the layout of its messages."""

from __future__ import annotations

import runpy
from typing import Any

import numpy as np
import pytest

from autograder.selfcheck_kit import Checker, SelfCheckFailed, call, call_counting, expected_values_withheld, report

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
    cell = tmp_path / "cell.py"  # as IPython keeps a cell's code: in a file, so its lines can be shown
    cell.write_text("import numpy as np\n\ndef forward(X):\n    return X @ np.ones((3, 2))\n")
    namespace = runpy.run_path(str(cell))
    _, problems = call("forward", namespace["forward"], np.ones((4, 2)))
    assert problems[0].message.startswith("forward raised ValueError: matmul")
    assert problems[0].message.endswith(" (in forward: return X @ np.ones((3, 2)))")


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

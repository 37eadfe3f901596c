"""Unit tests of the self-check kit's call counting (:func:`autograder.selfcheck_kit.call_counting`):
in a notebook's namespace the other functions are wrapped for the call only. (The grader's side,
the stand-ins a jailed function was served, is held by the sample ``numerical_backward`` through
the real kernel bridge.)"""

from __future__ import annotations

import runpy
from typing import Any

import numpy as np

from autograder.selfcheck_kit import call, call_counting

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

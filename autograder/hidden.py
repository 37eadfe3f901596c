"""The hidden test region's entry point: ``grade("<grade id>", globals())``.

It runs inside the notebook's kernel during ``nbgrader autograde``. It wraps the
student's functions so that each is called with the reference versions of the
others in place (one mistake costs one cell), runs the cell's check, prints the
feedback and returns the points as a plain float, which nbgrader reads as the
cell's partial credit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from autograder import reference
from autograder.parts import BY_GRADE_ID, FUNCTIONS, CellResult


@contextmanager
def _reference_stand_ins(namespace: MutableMapping[str, Any], keep: str) -> Iterator[None]:
    """Temporarily replace every contract function but ``keep`` by the reference one."""
    saved = {name: namespace[name] for name in FUNCTIONS if name != keep and name in namespace}
    namespace.update({name: getattr(reference, name) for name in saved})
    try:
        yield
    finally:
        namespace.update(saved)


def isolated(namespace: MutableMapping[str, Any], name: str) -> Callable[..., Any]:
    """The student's function ``name``, calling the reference for the other contract functions."""
    function = namespace[name]

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        with _reference_stand_ins(namespace, keep=name):
            return function(*args)

    return call


def student_answers(namespace: MutableMapping[str, Any]) -> dict[str, Any]:
    """What the checks see of a notebook: its contract functions (isolated) and values."""
    answers: dict[str, Any] = {}
    for cell in BY_GRADE_ID.values():
        if cell.target not in namespace:
            continue
        value = namespace[cell.target]
        is_function = cell.target in FUNCTIONS and callable(value)
        answers[cell.target] = isolated(namespace, cell.target) if is_function else value
    return answers


def format_feedback(result: CellResult) -> str:
    """The text a student reads under the cell."""
    lines = [f"{result.grade_id}: {result.points:g} / {result.max_points:g} points"]
    lines += [f"  ✗ {problem.message}" for problem in result.problems]
    if not result.problems:
        lines.append("  ✓ all checks passed")
    return "\n".join(lines)


def grade(grade_id: str, namespace: MutableMapping[str, Any]) -> float:
    """Run the hidden check of one cell on a notebook's namespace; return its points."""
    result = BY_GRADE_ID[grade_id].run(student_answers(namespace))
    print(format_feedback(result))
    return float(result.points)

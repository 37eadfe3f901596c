"""What a hidden check returns and what a graded cell comes to, and the steps every check shares.

A check re-runs the public self-check (its problems are what the student's own check should
have said), then hidden cases with their expected values withheld, and stops at the first that
fails. Problems are the self-check kit's :class:`~autograder.selfcheck_kit.Problem`, the same
objects an assignment's ``selfcheck.py`` produces in the grader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from autograder.selfcheck_kit import Problem, expected_values_withheld

Case = Callable[[], list[Problem]]


@dataclass(frozen=True)
class Verdict:
    """The share of a cell's points earned, what was wrong, and whether the public self-check's
    test on the sheet's numbers holds (what the student's own self-check should have said)."""

    fraction: float
    problems: tuple[Problem, ...] = ()
    public_passed: bool = True


@dataclass(frozen=True)
class CellResult:
    """The outcome of one autograded cell: points out of the maximum, and what was wrong."""

    grade_id: str
    points: float
    max_points: float
    problems: tuple[Problem, ...] = ()
    public_passed: bool = True


def first_failure(public: Case, hidden: Iterable[Case]) -> Verdict:
    """All or nothing: the problems of the public self-check, else of the first hidden case that
    has any (its expected values withheld from the messages)."""
    problems = public()
    if problems:
        return Verdict(0.0, tuple(problems), public_passed=False)
    with expected_values_withheld():
        for attempt in hidden:
            problems = attempt()
            if problems:
                return Verdict(0.0, tuple(problems))
    return Verdict(1.0)


def missing(student: Mapping[str, Any], name: str) -> Verdict | None:
    """Zero, saying so, when the notebook does not define ``name``; else None."""
    if name not in student:
        return Verdict(0.0, (Problem(f"{name} is not defined: run the cell that defines it."),), public_passed=False)
    return None

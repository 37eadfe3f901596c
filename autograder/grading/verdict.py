"""What a hidden check returns and what a graded cell comes to, and the steps every check shares.

A check re-runs the public self-check (its problems are what the student's own check should
have said), then hidden cases with their expected values withheld, and stops at the first that
fails. Problems are the self-check kit's :class:`~autograder.grading.selfcheck_kit.Problem`, the same
objects an assignment's ``selfcheck.py`` produces in the grader. :class:`CellSummary` words a
graded cell: the text the formgrader shows under it and the feedback's summary repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from autograder.grading.selfcheck_kit import Problem, expected_values_withheld

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


@dataclass(frozen=True)
class Hint:
    """Where the notebook helps with a test cell: a markdown cell (its grade id, the anchor in the
    feedback page) and how to name it."""

    cell_id: str
    label: str


@dataclass(frozen=True)
class MistakeNote:
    """A named mistake found in a cell: what it means and where the hint for it is."""

    name: str
    meaning: str
    hint: Hint | None


@dataclass(frozen=True)
class CellSummary:
    """One autograded cell: its points and what was wrong (``problems`` as the checks said it)."""

    grade_id: str
    target: str
    points: float
    max_points: float
    problems: tuple[str, ...]
    mistakes: tuple[MistakeNote, ...]

    @property
    def full(self) -> bool:
        """Whether the cell earned all its points."""
        return self.points >= self.max_points

    def text(self) -> str:
        """The cell's verdict as lines of text."""
        lines = [f"{self.target}: {self.points:g} / {self.max_points:g} points"]
        lines += [f"  ✗ {problem}" for problem in self.problems]
        if not self.problems:
            lines.append("  ✓ all checks passed" if self.full else "  ✗ not graded")
        for mistake in self.mistakes:
            where = f"; see {mistake.hint.label} in the notebook" if mistake.hint else ""
            lines.append(f"  Mistake {mistake.name}: {mistake.meaning}{where}.")
        return "\n".join(lines) + "\n"

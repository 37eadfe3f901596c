"""The graded cells of sheet 12: grade ids, parts, points and the check behind each.

This table is the one place that says what is worth how much; a test keeps the
source notebook's nbgrader metadata in line with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from autograder import checks
from autograder.cases import rng_for

#: The sheet's parts in order; every grade id starts with one of these prefixes.
PARTS: tuple[str, ...] = ("t12_1_1", "t12_1_2", "t12_2a", "t12_2b", "t12_2c", "t12_2d", "t12_2e", "t12_2f")


@dataclass(frozen=True)
class GradedCell:
    """An autograded test cell and the hidden check that scores it."""

    grade_id: str
    points: float
    target: str
    check: Callable[[checks.Student, np.random.Generator], checks.Verdict]

    @property
    def part(self) -> str:
        """The sheet part this cell belongs to."""
        return part_of(self.grade_id)

    def run(self, student: checks.Student, seed: int = 0) -> CellResult:
        """Check the student's answers with this cell's hidden inputs; the points earned and why."""
        verdict = self.check(student, rng_for(self.grade_id, seed))
        points = verdict.fraction * self.points
        return CellResult(self.grade_id, points, float(self.points), verdict.problems, verdict.public_passed)


@dataclass(frozen=True)
class CellResult:
    """The outcome of one autograded cell: points out of the maximum, and what was wrong."""

    grade_id: str
    points: float
    max_points: float
    problems: tuple[checks.Problem, ...] = ()
    public_passed: bool = True


AUTOGRADED: tuple[GradedCell, ...] = (
    GradedCell("t12_1_1_statements", 4, "statement_answers", checks.check_statement_answers),
    GradedCell("t12_1_2_deep_linear_forward", 1, "deep_linear_forward", checks.check_deep_linear_forward),
    GradedCell("t12_1_2_grad_W3", 2, "grad_W3", checks.check_grad_W3),
    GradedCell("t12_2a_count_parameters", 1, "count_parameters", checks.check_count_parameters),
    GradedCell("t12_2b_sigmoid", 1, "sigmoid", checks.check_sigmoid),
    GradedCell("t12_2b_forward", 2, "forward", checks.check_forward),
    GradedCell("t12_2c_cross_entropy", 2, "cross_entropy", checks.check_cross_entropy),
    GradedCell("t12_2d_backward", 4, "backward", checks.check_backward),
    GradedCell("t12_2e_gd_step", 2, "gd_step", checks.check_gd_step),
    GradedCell("t12_2f_new_risk", 1, "new_risk", checks.check_new_risk),
)

#: Manually graded written answers: grade id to points.
MANUAL: dict[str, float] = {"t12_1_1_justification": 2, "t12_2f_discussion": 2}

BY_GRADE_ID: dict[str, GradedCell] = {cell.grade_id: cell for cell in AUTOGRADED}

#: Values students set, as opposed to functions they write.
VALUES: tuple[str, ...] = ("statement_answers", "new_risk")
#: The functions students write.
FUNCTIONS: tuple[str, ...] = tuple(cell.target for cell in AUTOGRADED if cell.target not in VALUES)
#: Contract functions each function may call; while it is checked, those are the reference ones,
#: so that one mistake costs one cell.
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "grad_W3": ("deep_linear_forward",),
    "forward": ("sigmoid",),
    "backward": ("forward", "sigmoid"),
}


def part_of(grade_id: str) -> str:
    """The part a grade id belongs to (the longest matching prefix)."""
    matches = [part for part in PARTS if grade_id == part or grade_id.startswith(part + "_")]
    if not matches:
        raise KeyError(f"grade id {grade_id!r} belongs to no part of sheet 12")
    return max(matches, key=len)


def points_by_part() -> dict[str, dict[str, float]]:
    """Autograded and manual points of every part, for the README's table and reports."""
    table = {part: {"auto": 0.0, "manual": 0.0} for part in PARTS}
    for cell in AUTOGRADED:
        table[cell.part]["auto"] += cell.points
    for grade_id, points in MANUAL.items():
        table[part_of(grade_id)]["manual"] += points
    return table

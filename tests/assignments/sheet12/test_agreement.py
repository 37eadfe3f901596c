"""The notebook's self-checks and the grader agree, for every sample of the catalogue.

Every sample is run by real nbgrader in a real kernel (the session's graded class): under each
autograded cell, the student's own self-check either passed or failed in their kernel, and the
grader scored the same cell. A self-check passes exactly when the grader gives that cell full
marks, so a student who sees every self-check pass has every autograded point. The one
documented exception is T12.1.1's statements, whose self-check checks the format only.
"""

from __future__ import annotations

import pytest

from autograder.commands.grade import GradingRun
from autograder.grading import public, records
from tests import internals
from tests.conftest import SAMPLES, SHEET12

#: Cells whose self-check checks less than the grader does, on purpose (the statements' format).
FORMAT_ONLY = {"t12_1_1_statements"}


def agreement_table(graded_class: GradingRun) -> dict[str, dict[str, tuple[bool | None, float, float]]]:
    """Sample -> grade id -> (self-check passed in the kernel, points, max points)."""
    table = {}
    for student in SAMPLES:
        record = records.load(graded_class.workdir / records.RECORDS_DIRNAME, "sheet12", student)
        table[student] = {
            grade_id: (cell.in_kernel_passed, cell.points, cell.max_points) for grade_id, cell in record.cells.items()
        }
    return table


@pytest.mark.parametrize("student", SAMPLES, ids=str)
def test_a_self_check_passes_exactly_when_the_grader_gives_full_marks(graded_class: GradingRun, student: str) -> None:
    cells = agreement_table(graded_class)[student]
    assert set(cells) == set(SHEET12.by_grade_id)
    disagreements = {
        grade_id: (passed, points, max_points)
        for grade_id, (passed, points, max_points) in cells.items()
        if grade_id not in FORMAT_ONLY and passed != (points == max_points)
    }
    assert disagreements == {}


def test_every_named_mistake_has_a_sample_that_both_sides_judge() -> None:
    """Each mistake the self-checks can name is made by some sample, so the agreement above covers it."""
    made = {sample.mistake.split("#")[0] for sample in SAMPLES.values() if sample.mistake}
    assert set(public.mistake_meanings("sheet12")) - made == set()


@pytest.mark.parametrize("student", SAMPLES, ids=str)
def test_no_verdict_or_feedback_page_shows_the_graders_code(graded_class: GradingRun, student: str) -> None:
    record = records.load(graded_class.workdir / records.RECORDS_DIRNAME, "sheet12", student)
    for grade_id, cell in record.cells.items():
        for problem in cell.problems:
            assert internals.found_in(problem) == [], (grade_id, problem)
    page = (graded_class.feedback_dir / student / "sheet12" / "sheet12.html").read_text()
    assert internals.found_in(page, graded_class.workdir / "autograded" / student / "sheet12" / "sheet12.ipynb") == []


def test_an_error_in_the_grader_shows_the_students_own_line(graded_class: GradingRun) -> None:
    """The error happened in the student's kernel: the verdict shows their line, as their self-check does."""
    record = records.load(graded_class.workdir / records.RECORDS_DIRNAME, "sheet12", "three_layer_sizes_only")
    assert record.cells["t12_2a_count_parameters"].problems == [
        "count_parameters([4, 1]) raised ValueError: not enough values to unpack (expected 3, got 2)"
        " (in count_parameters: d, h, k = layer_sizes)"
    ]

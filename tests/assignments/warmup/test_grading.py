"""Real ``nbgrader autograde`` with a real jailed kernel on every warm-up sample submission.

One grading run of the whole sample class: every sample gets exactly its expected score on
every autograded cell, its feedback names its mistake, and the run's grades.csv, class
report and plot are there.
"""

from __future__ import annotations

import csv

import pytest

from autograder import assignments
from autograder.commands import grade
from autograder.grading import records
from autograder.grading.samples import Sample
from autograder.reports.class_report import TOTAL_COLUMNS
from tests.conftest import full_marks

WARMUP = assignments.load("warmup")
SAMPLES: dict[str, Sample] = WARMUP.samples()
MISTAKEN = [sample for sample in SAMPLES.values() if sample.mistake]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> grade.GradingRun:
    """All warm-up samples autograded in one scratch course by real nbgrader and a real kernel."""
    notebooks = {student: WARMUP.submission(sample) for student, sample in SAMPLES.items()}
    return grade.grade_notebooks(WARMUP, notebooks, tmp_path_factory.mktemp("warmup-class"))


def feedback(run: grade.GradingRun, student: str) -> str:
    return (run.workdir / "feedback" / student / "warmup" / "warmup.html").read_text()


def test_the_catalogue() -> None:
    assert {"correct", "blank"} <= set(SAMPLES) and len(MISTAKEN) >= 3
    for sample in MISTAKEN:
        assert sample.scores and all(score == 0.0 for score in sample.scores.values()), sample.student
        edited = {WARMUP.part_of(edit.target.removesuffix("_solution")) for edit in sample.edits}
        assert {WARMUP.part_of(grade_id) for grade_id in sample.scores} == edited, sample.student


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=lambda sample: sample.student)
def test_each_sample_gets_exactly_its_expected_scores(graded: grade.GradingRun, sample: Sample) -> None:
    result = graded.scores[sample.student]
    assert result.error is None
    assert result.by_cell == full_marks(sample, WARMUP)
    assert result.flags == [] and result.faults == []


@pytest.mark.parametrize("sample", MISTAKEN, ids=lambda sample: sample.student)
def test_feedback_names_the_mistake_in_its_own_cell(graded: grade.GradingRun, sample: Sample) -> None:
    assert f"[{sample.mistake}]" in feedback(graded, sample.student)
    record = records.load(graded.workdir / records.RECORDS_DIRNAME, "warmup", sample.student)
    named = {grade_id for grade_id, cell in record.cells.items() if sample.mistake in cell.mistakes}
    assert named == set(sample.scores)


def test_a_wrong_softmax_leaves_predict_proba_its_point(graded: grade.GradingRun) -> None:
    record = records.load(graded.workdir / records.RECORDS_DIRNAME, "warmup", "softmax_columns")
    assert record.cells["w3_softmax"].points == 0.0
    predict = record.cells["w3_predict_proba"]
    assert predict.points == predict.max_points == 1.0 and predict.problems == []
    # The student's kernel judged predict_proba on its own too (softmax answering the check's scores).
    assert predict.in_kernel_passed is True and predict.public_passed is True


def test_the_self_checks_pass_in_the_kernel_of_a_correct_submission(graded: grade.GradingRun) -> None:
    for student in ("correct",):
        record = records.load(graded.workdir / records.RECORDS_DIRNAME, "warmup", student)
        assert {grade_id: cell.in_kernel_passed for grade_id, cell in record.cells.items()} == dict.fromkeys(
            WARMUP.by_grade_id, True
        ), student


def test_correct_and_blank_feedback(graded: grade.GradingRun) -> None:
    correct = feedback(graded, "correct")
    for cell in WARMUP.autograded:
        assert f"{cell.target}: {cell.points:g} of {cell.points:g} points." in correct
    assert correct.count("All checks passed.") == len(WARMUP.autograded)
    blank = feedback(graded, "blank")
    for function in WARMUP.functions:
        assert f"{function} is not implemented yet" in blank


def test_grades_csv(graded: grade.GradingRun) -> None:
    with open(graded.workdir / "grades.csv") as handle:
        reader = csv.DictReader(handle)
        rows = {row["student"]: row for row in reader}
    columns = ["W.1", "W.2", "W.3", *TOTAL_COLUMNS, "error"]
    assert reader.fieldnames == ["student", "name", *columns]
    assert set(rows) == set(SAMPLES)
    assert rows["correct"] == {
        "student": "correct", "name": "", "W.1": "1", "W.2": "1", "W.3": "3",
        "autograded": "5", "by hand": "pending", "late": "", "late penalty": "0", "total": "pending", "error": "",
    }  # fmt: skip
    assert (rows["blank"]["by hand"], rows["blank"]["total"]) == ("0", "0")  # left as released: nbgrader's 0
    assert (rows["softmax_columns"]["W.3"], rows["softmax_columns"]["autograded"]) == ("1", "3")
    assert (rows["center_rows"]["W.1"], rows["center_rows"]["autograded"]) == ("0", "4")
    assert (rows["predict_proba_forgot_bias"]["W.3"], rows["predict_proba_forgot_bias"]["autograded"]) == ("2", "4")


def test_class_report_lists_the_named_mistakes(graded: grade.GradingRun) -> None:
    report = (graded.workdir / "class_report.md").read_text()
    assert report.startswith("# Class report: warmup")
    for sample in MISTAKEN:
        assert f"`{sample.mistake}`" in report
    assert "- `unstable`: 3 student(s)" in report  # softmax_unstable, predict_proba_own_softmax, sigmoid_naive
    assert "- `missing_keepdims`: 2 student(s)" in report  # of the row sums, and of the row maxima
    assert report.endswith("## For review\n\n- blank: blank: no answer was written in the notebook\n")
    assert (graded.workdir / "score_distribution.png").stat().st_size > 5_000


@pytest.mark.parametrize("student", SAMPLES, ids=str)
def test_a_self_check_passes_exactly_when_the_grader_gives_full_marks(graded: grade.GradingRun, student: str) -> None:
    """As for sheet 12 (tests/assignments/sheet12/test_agreement.py), with no exception."""
    record = records.load(graded.workdir / records.RECORDS_DIRNAME, "warmup", student)
    assert {grade_id: cell.in_kernel_passed for grade_id, cell in record.cells.items()} == {
        grade_id: cell.points == cell.max_points for grade_id, cell in record.cells.items()
    }

"""Real ``nbgrader autograde`` with a real kernel on every sheet 12 sample submission.

Every sample must get exactly its expected score on every autograded cell, and the
feedback of a mistaken one must name its mistake.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from markupsafe import escape
from nbgrader.api import Gradebook
from traitlets.config import Config

from autograder import course
from autograder.commands import grade
from autograder.commands.cli import main
from autograder.commands.grade import GradingRun
from autograder.grading import public, records
from autograder.grading.assignment import seed_for
from autograder.grading.samples import Sample
from tests.conftest import SAMPLES, SHEET12, full_marks

MISTAKEN = [sample for sample in SAMPLES.values() if sample.scores]


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=lambda sample: sample.student)
def test_each_sample_gets_exactly_its_expected_scores(graded_class: GradingRun, sample: Sample) -> None:
    result = graded_class.scores[sample.student]
    assert result.error is None
    assert result.by_cell == full_marks(sample)


def test_kernels_started_cold_give_every_sample_what_warm_ones_give(graded_class: GradingRun, tmp_path: Path) -> None:
    """The course forks its kernels from a warm template (``graded_class``); started cold, every
    sample gets the same points, comments and errors."""
    notebooks = {student: SHEET12.submission(sample) for student, sample in SAMPLES.items()}
    started_cold = Config({"JailedKernelManager": {"launch": "cold"}})
    cold = grade.grade_notebooks(SHEET12, notebooks, tmp_path / "cold", started_cold)
    assert course.load_config().JailedKernelManager.launch == "warm"
    outcome = lambda run: {student: (s.by_cell, s.comments, s.error) for student, s in run.scores.items()}  # noqa: E731
    assert outcome(cold) == outcome(graded_class)


def edited_parts(sample: Sample) -> set[str]:
    return {SHEET12.part_of(edit.target.removesuffix("_solution")) for edit in sample.edits}


def test_mistakes_cost_only_their_own_part() -> None:
    """The catalogue's expectations: a mistake loses points in its own part (and f, which uses everything)."""
    full = full_marks(SAMPLES["correct"])
    for sample in MISTAKEN:
        changed = edited_parts(sample)
        lost = {SHEET12.part_of(grade_id) for grade_id, score in sample.scores.items() if score < full[grade_id]}
        assert lost and lost <= changed | {"t12_2f"}, sample.student


@pytest.mark.parametrize("sample", [s for s in MISTAKEN if s.mistake], ids=lambda sample: sample.student)
def test_feedback_names_the_mistake_in_its_own_part(graded_class: GradingRun, sample: Sample) -> None:
    feedback = (graded_class.feedback_dir / sample.student / "sheet12" / "sheet12.html").read_text()
    assert f"[{sample.mistake}]" in feedback
    record = records.load(graded_class.workdir / records.RECORDS_DIRNAME, "sheet12", sample.student)
    changed = edited_parts(sample)
    named = {
        mistake
        for grade_id, cell in record.cells.items()
        if SHEET12.part_of(grade_id) in changed
        for mistake in cell.mistakes
    }
    assert sample.mistake in named
    summary = feedback.split('<div id="summary">')[1].split("</table>")[0]
    rows = {re.search(r'<th class="part">(.*?)</th>', row).group(1): row for row in summary.split("<tr")[2:]}
    naming = {SHEET12.part_of(grade_id) for grade_id, cell in record.cells.items() if sample.mistake in cell.mistakes}
    for part in naming:  # the summary's row of each part naming it says what it means and links its hint
        assert f"<b>{sample.mistake}</b>" in rows[SHEET12.title(part)], part
        assert '(see <a href="#t12_' in rows[SHEET12.title(part)], part


def test_blank_feedback_says_what_is_not_implemented(graded_class: GradingRun) -> None:
    feedback = (graded_class.feedback_dir / "blank" / "sheet12" / "sheet12.html").read_text()
    assert "backward is not implemented yet" in feedback


def test_regrading_repeats_the_same_hidden_inputs_and_scores(graded_class: GradingRun) -> None:
    student = "sigmoid_prime_at_Z"
    before = records.load(graded_class.workdir / records.RECORDS_DIRNAME, "sheet12", student)
    result = course.api_for(graded_class.workdir).autograde("sheet12", student, force=True)
    assert result["success"], result.get("log")
    after = records.load(graded_class.workdir / records.RECORDS_DIRNAME, "sheet12", student)
    assert after.seed == before.seed == seed_for(student, "sheet12")
    assert after.cells == before.cells
    assert set(after.cells["t12_2d_backward"].mistakes) == {"sigmoid_prime_at_Z"}


def test_grades_csv_and_class_report(graded_class: GradingRun) -> None:
    with open(graded_class.workdir / "grades.csv") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(SAMPLES)
    assert rows["correct"]["autograded"] == "20" and rows["blank"]["autograded"] == "0"
    assert (rows["correct"]["by hand"], rows["correct"]["total"]) == ("pending", "pending")  # written answers
    assert (rows["blank"]["by hand"], rows["blank"]["total"]) == ("0", "0")  # left as released: nbgrader's 0
    assert rows["sum_instead_of_mean"]["T12.2c"] == "0" and rows["sum_instead_of_mean"]["T12.2d"] == "4"
    report = (graded_class.workdir / "class_report.md").read_text()
    for sample in MISTAKEN:
        if sample.mistake:
            assert f"`{sample.mistake}`" in report
    assert "- `sum_instead_of_mean`: " in report
    assert (graded_class.workdir / "score_distribution.png").stat().st_size > 10_000


def test_the_class_page_names_every_mistake_with_its_meaning_and_is_made_again_from_the_gradebook(
    graded_class: GradingRun,
) -> None:
    page = graded_class.workdir / "class_report.html"
    first = page.read_text()
    meanings = public.mistake_meanings("sheet12")
    for sample in MISTAKEN:
        if sample.mistake:
            assert f"<code>{sample.mistake}</code>" in first
            assert str(escape(meanings[sample.mistake.split("#")[0]])) in first  # as the page escapes it
    page.unlink()
    assert main(["report", "--assignment", "sheet12", "--workdir", str(graded_class.workdir)]) == 0
    assert page.read_text() == first  # the gradebook and the records are enough


def test_the_report_command_compares_two_runs(graded_class: GradingRun, tmp_path: Path) -> None:
    regrade = tmp_path / "regrade"
    shutil.copytree(graded_class.workdir, regrade)
    args = ["report", "--assignment", "sheet12", "--workdir", str(regrade), "--compare", str(graded_class.workdir)]
    assert main(args) == 0
    page = (regrade / "class_report.html").read_text()
    assert f"Compared with {graded_class.workdir}" in page
    graded = [result for result in graded_class.scores.values() if not result.error]
    top = SHEET12.points_by_part()["t12_2c"]["auto"]
    rate = f"{100 * sum(result.part('t12_2c') == top for result in graded) / len(graded):.0f} %"
    assert rate != "100 %" and f"<td>T12.2c</td><td>{rate}</td><td>{rate}</td>" in page  # the same class twice


def test_points_graded_by_hand_show_once_the_page_is_written_again(graded_class: GradingRun, tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(graded_class.workdir, course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook("sheet12", "sheet12", "correct")
        for grade in notebook.grades:
            if grade.name not in SHEET12.by_grade_id:  # the written answers
                grade.manual_score, grade.needs_manual_grade = grade.max_score, False  # as the formgrader saves it
        gradebook.db.commit()
    assert main(["report", "--assignment", "sheet12", "--workdir", str(course)]) == 0
    page = (course / "class_report.html").read_text()

    def by_hand_and_total(student: str) -> list[str]:
        (row,) = re.findall(rf'<tr><td><a href="[^"]*">{student}</a></td>.*\n(.*)\n</tr>', page)
        return re.findall(r"<td[^>]*>(.*?)</td>", row)[-4::2]

    manual_points = sum(points["manual"] for points in SHEET12.points_by_part().values())
    assert by_hand_and_total("correct") == [f"{manual_points:g}", f"{20 + manual_points:g}"]
    assert by_hand_and_total("sum_instead_of_mean") == ["pending", "pending"]


def test_explorations_are_skipped_while_grading(graded_class: GradingRun) -> None:
    """The ungraded explorations (training curves, plots) do not run in the grader: they say so
    and leave no figure in the autograded notebook."""
    graded = nbformat.read(graded_class.workdir / "autograded" / "correct" / "sheet12" / "sheet12.ipynb", 4)
    explorations = [cell for cell in graded.cells if cell.cell_type == "code" and "ready_to_explore(" in cell.source]
    assert len(explorations) == 2
    for cell in explorations:
        assert {output.output_type for output in cell.outputs} == {"stream"}  # no figure, no error
        assert "".join(output.text for output in cell.outputs) == "(exploration skipped while grading)\n"


def test_stand_ins_served_through_the_kernel_bridge_keep_each_mistake_in_its_own_cell(tmp_path: Path) -> None:
    """Every dependency edge (forward -> sigmoid, backward -> forward and sigmoid, grad_W3 ->
    deep_linear_forward), graded alone in a real run: the sample's wrong sigmoid and
    deep_linear_forward cost their own cells, not the functions that call them."""
    sample = SAMPLES["calls_wrong_helpers"]
    run = grade.grade_notebooks(SHEET12, {"helpers": SHEET12.submission(sample)}, tmp_path / "course", jobs=1)
    assert run.scores["helpers"].by_cell == full_marks(sample)

"""Unit tests of the summary by part (:mod:`autograder.reports.feedback.summary`) on a synthetic 3-part
assignment: parts in the sheet's order, named mistakes with their meaning and hint, faults in
their part, answers graded by hand counted apart (pending is not 0), and the text Gradescope shows."""

from __future__ import annotations

import nbformat
import pytest

from autograder.grading.assignment import Assignment
from autograder.grading.records import CellRecord, GradingRecord
from autograder.reports.feedback.summary import Hint, ManualAnswer, hints, summarize
from autograder.reports.scores import StudentScores
from tests.engine.conftest import nbgrader_meta

MEANINGS = {"off_by_one": "the loop ran one step too far"}


def text_cell(grade_id: str, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["nbgrader"] = nbgrader_meta(grade_id, solution=False, grade=False, locked=True)
    return cell


@pytest.fixture
def hinted(toy: Assignment) -> Assignment:
    """The toy assignment with a task text above q1 and q1_b and a hint block in q1_b."""
    notebook = nbformat.read(toy.source_notebook, 4)
    first = next(index for index, cell in enumerate(notebook.cells) if "nbgrader" in cell.metadata)
    notebook.cells.insert(first, text_cell("q1_text", "## Question 1\nAdd the numbers."))
    prod = next(index for index, cell in enumerate(notebook.cells) if "q1_b_prod" in str(cell.metadata))
    notebook.cells.insert(
        prod, text_cell("q1_b_text", "Multiply.\n<details><summary>Hint</summary>mind the end</details>")
    )
    nbformat.write(notebook, toy.source_notebook)
    return toy


@pytest.fixture
def record() -> GradingRecord:
    return GradingRecord(
        "alice",
        "toy",
        3,
        cells={
            "q1_sum": CellRecord(2.0, 2.0, [], [], True, True),
            "q1_b_prod": CellRecord(0.0, 3.0, ["prod(x): off by one [off_by_one]."], ["off_by_one"], True, False),
            "q1_b_edge": CellRecord(1.0, 1.0, [], [], True, True),
            "q2_mean": CellRecord(0.0, 2.0, ["mean is not defined."], [], None, False),
        },
        faults=["q2_mean: timeout in f_q2_mean: took longer than 10 s", "time budget: used up its 120 s"],
    )


def scores(assignment: Assignment, manual: dict[str, float | None]) -> StudentScores:
    by_cell = {"q1_sum": 2.0, "q1_b_prod": 0.0, "q1_b_edge": 1.0, "q2_mean": 0.0}
    return StudentScores("alice", assignment, by_cell=by_cell, manual=manual)


def test_hints_are_the_nearest_help_above_each_cell_in_its_part(hinted: Assignment) -> None:
    assert hints(hinted) == {
        "q1_sum": Hint("q1_text", "the text of Question 1"),
        "q1_b_prod": Hint("q1_b_text", "the hints of Question 1b"),
        "q1_b_edge": Hint("q1_b_text", "the hints of Question 1b"),
    }  # q2 has no text cell of its own: no hint rather than another part's


def test_parts_in_order_with_points_mistakes_and_faults(hinted: Assignment, record: GradingRecord) -> None:
    summary = summarize(scores(hinted, {"q2_explain": None}), record, MEANINGS)
    assert [(part.title, part.points, part.max_points) for part in summary.parts] == [
        ("Question 1", 2.0, 2.0),
        ("Question 1b", 1.0, 4.0),
        ("Question 2", 0.0, 2.0),
    ]
    (prod, edge) = summary.parts[1].cells
    assert [(m.name, m.meaning, m.hint) for m in prod.mistakes] == [
        ("off_by_one", "the loop ran one step too far", Hint("q1_b_text", "the hints of Question 1b"))
    ]
    assert (prod.target, prod.full, edge.full) == ("f_q1_b_prod", False, True)
    assert summary.parts[2].faults == (
        "While f_q2_mean was checked, it ran longer than its time limit and was stopped.",
    )
    assert summary.faults == ("The notebook used up its time budget, so what was left scored 0.",)


def test_answers_graded_by_hand_are_pending_until_graded_never_zero(hinted: Assignment, record: GradingRecord) -> None:
    pending = summarize(scores(hinted, {"q2_explain": None}), record, MEANINGS)
    assert pending.parts[2].manual == (ManualAnswer("q2_explain", None, 4.0),)
    assert pending.headline()[:2] == ["Autograded: 3 / 8 points.", "Graded by hand, pending: 4 points."]
    late = scores(hinted, {"q2_explain": 3.0})
    late.late_penalty, late.seconds_late = 1.0, 26 * 3600 + 5 * 60 + 30  # as nbgrader's gradebook has them
    graded = summarize(late, record, MEANINGS)
    assert graded.headline() == [
        "Autograded: 3 / 8 points.",
        "Graded by hand: 3 / 4 points.",
        "Submitted 1d 2h 5min after the due date.",
        "Late submission: -1 points.",
        "Fault: The notebook used up its time budget, so what was left scored 0.",
    ]


def test_a_part_as_text(hinted: Assignment, record: GradingRecord) -> None:
    summary = summarize(scores(hinted, {"q2_explain": None}), record, MEANINGS)
    assert summary.parts[1].text() == (
        "f_q1_b_prod: 0 / 3 points\n"
        "  ✗ prod(x): off by one [off_by_one].\n"
        "  Mistake off_by_one: the loop ran one step too far; see the hints of Question 1b in the notebook.\n"
        "f_q1_b_edge: 1 / 1 points\n"
        "  ✓ all checks passed\n"
    )
    assert summary.parts[2].text() == (
        "f_q2_mean: 0 / 2 points\n"
        "  ✗ mean is not defined.\n"
        "Fault: While f_q2_mean was checked, it ran longer than its time limit and was stopped.\n"
        "Written answer q2_explain: graded by hand, pending (4 points)\n"
    )


def test_a_cells_fault_is_placed_by_the_graded_notebook(hinted: Assignment) -> None:
    notebook = nbformat.read(hinted.source_notebook, 4)
    number = 1 + next(index for index, cell in enumerate(notebook.cells) if "q2_mean" in str(cell.metadata))
    faulty = GradingRecord("alice", "toy", 3, faults=[f"crash: cell {number} killed the kernel"])
    summary = summarize(scores(hinted, {}), faulty, MEANINGS, notebook)
    assert summary.parts[2].faults == (f"Cell {number} of the notebook stopped Python (a crash, os._exit or running"
                                       " out of memory); the rest ran in a fresh kernel.",)  # fmt: skip
    assert summarize(scores(hinted, {}), faulty, MEANINGS).faults == summary.parts[2].faults  # no notebook: no part


def test_without_a_record_every_cell_says_it_was_not_graded(hinted: Assignment) -> None:
    summary = summarize(scores(hinted, {}), None, MEANINGS)
    assert {cell.problems for cell in summary.cells.values()} == {("not graded (see the faults above)",)}

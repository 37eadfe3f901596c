"""Unit tests of Gradescope's ``results.json`` (:mod:`autograder.gradescope.results`) on a synthetic
3-part assignment: one visible test per part (the part of the feedback summary), a hidden review
test, and the results of a submission that could not be graded."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from autograder.gradescope.results import failed_results, results_json
from autograder.grading.assignment import Assignment
from autograder.grading.records import CellRecord, GradingRecord
from autograder.reports.feedback.summary import summarize
from autograder.reports.scores import StudentScores

MEANINGS = {"off_by_one": "the loop ran one step too far"}


def results_of(scores: StudentScores, record: GradingRecord | None, notes: list[str]) -> dict:
    """``results.json`` of a submission, from its summary (as ``gradescope run`` makes it)."""
    return results_json(summarize(scores, record, MEANINGS), scores.student, record, notes)


@pytest.fixture
def alice_record() -> GradingRecord:
    return GradingRecord(
        "alice",
        "toy",
        3,
        cells={
            "q1_sum": CellRecord(2.0, 2.0, [], [], True, True),
            "q1_b_prod": CellRecord(1.5, 3.0, ["prod is off by one"], ["off_by_one"], True, False),
            "q1_b_edge": CellRecord(1.0, 1.0, [], [], True, True),
            "q2_mean": CellRecord(0.0, 2.0, ["mean is missing", "mean(x) raised an error"], [], None, False),
        },
        faults=["timeout: cell 3 ran longer than 60 s"],
    )


def test_results_json(toy_scores: dict[str, StudentScores], alice_record: GradingRecord) -> None:
    results = results_of(toy_scores["alice"], alice_record, ["A note for the student."])
    assert results == {
        "output": (
            "Autograded: 4.5 / 8 points.\nGraded by hand, pending: 4 points.\n"
            "Fault: Cell 3 of the notebook ran longer than its time limit and was stopped.\nA note for the student."
        ),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": "Question 1",
                "number": "1",
                "score": 2.0,
                "max_score": 2.0,
                "status": "passed",
                "output": "f_q1_sum: 2 / 2 points\n  ✓ all checks passed\n",
                "visibility": "visible",
            },
            {
                "name": "Question 1b",
                "number": "2",
                "score": 2.5,
                "max_score": 4.0,
                "status": "failed",
                "output": (
                    "f_q1_b_prod: 1.5 / 3 points\n  ✗ prod is off by one\n"
                    "  Mistake off_by_one: the loop ran one step too far.\n"
                    "f_q1_b_edge: 1 / 1 points\n  ✓ all checks passed\n"
                ),
                "visibility": "visible",
            },
            {
                "name": "Question 2",
                "number": "3",
                "score": 0.0,
                "max_score": 2.0,
                "status": "failed",
                "output": (
                    "f_q2_mean: 0 / 2 points\n  ✗ mean is missing\n  ✗ mean(x) raised an error\n"
                    "Written answer q2_explain: graded by hand, pending (4 points)\n"
                ),
                "visibility": "visible",
            },
            {
                "name": "For instructors: grading record",
                "score": 0.0,
                "max_score": 0.0,
                "status": "passed",
                "output": (
                    "student id alice, seed of the hidden inputs: 3\nfault: timeout: cell 3 ran longer than 60 s\n"
                ),
                "visibility": "hidden",
            },
        ],
    }
    json.dumps(results)  # Gradescope reads it as JSON


def test_a_part_passes_only_at_full_score(toy_scores: dict[str, StudentScores], toy: Assignment) -> None:
    full = results_of(toy_scores["carol"], None, [])
    assert [(test["score"], test["max_score"], test["status"]) for test in full["tests"][:3]] == [
        (2.0, 2.0, "passed"),
        (4.0, 4.0, "passed"),
        (2.0, 2.0, "passed"),
    ]
    almost = StudentScores("dan", toy, by_cell={"q1_sum": 1.999, "q1_b_prod": 3.0, "q1_b_edge": 1.0, "q2_mean": 0.0})
    assert [test["status"] for test in results_of(almost, None, [])["tests"][:3]] == ["failed", "passed", "failed"]


def test_without_a_record_the_cells_say_not_graded_and_the_review_fails(
    toy_scores: dict[str, StudentScores],
) -> None:
    results = results_of(toy_scores["alice"], None, [])
    assert results["output"] == "Autograded: 4.5 / 8 points.\nGraded by hand, pending: 4 points."
    assert results["tests"][0]["output"] == "f_q1_sum: 2 / 2 points\n  ✗ not graded (see the faults above)\n"
    review = results["tests"][-1]
    assert (review["status"], review["output"]) == ("failed", "student id alice, seed of the hidden inputs: -\n")


def test_a_flagged_record_fails_the_hidden_review_test(
    toy_scores: dict[str, StudentScores], alice_record: GradingRecord
) -> None:
    alice_record.flags.append("q1_sum: tampering?")
    review = results_of(toy_scores["alice"], alice_record, [])["tests"][-1]
    assert review == {
        "name": "For instructors: grading record",
        "score": 0.0,
        "max_score": 0.0,
        "status": "failed",
        "output": (
            "student id alice, seed of the hidden inputs: 3\n"
            "FLAGGED: q1_sum: tampering?\n"
            "fault: timeout: cell 3 ran longer than 60 s\n"
        ),
        "visibility": "hidden",
    }


def test_without_manual_cells_no_hand_grading_is_mentioned(make_assignment: Callable[..., Assignment]) -> None:
    assignment = make_assignment([("a", "A")], {"a_1": 3})
    results = results_of(StudentScores("eve", assignment, by_cell={"a_1": 3.0}), None, ["note"])
    assert results["output"] == "Autograded: 3 / 3 points.\nnote"
    assert [test["name"] for test in results["tests"]] == ["A", "For instructors: grading record"]
    assert results["tests"][0]["output"] == "f_a_1: 3 / 3 points\n  ✗ not graded (see the faults above)\n"


def test_failed_results_give_zero_in_every_part(toy: Assignment) -> None:
    results = failed_results(toy, "Your notebook could not be read.")
    assert results == {
        "output": "Your notebook could not be read.",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": title,
                "number": number,
                "score": 0.0,
                "max_score": maximum,
                "status": "failed",
                "output": "Your notebook could not be read.\n",
                "visibility": "visible",
            }
            for title, number, maximum in [
                ("Question 1", "1", 2.0),
                ("Question 1b", "2", 4.0),
                ("Question 2", "3", 2.0),
            ]
        ],
    }


def test_failed_results_with_details_for_instructors(toy: Assignment) -> None:
    tests = failed_results(toy, "No notebook.", "Traceback: ...")["tests"]
    assert len(tests) == 4
    assert tests[-1] == {
        "name": "For instructors: error",
        "score": 0.0,
        "max_score": 0.0,
        "status": "failed",
        "output": "Traceback: ...",
        "visibility": "hidden",
    }


def test_failed_results_without_an_assignment_have_no_part_tests() -> None:
    assert failed_results(None, "No such assignment.") == {
        "output": "No such assignment.",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
    }
    (only,) = failed_results(None, "No such assignment.", "details")["tests"]
    assert (only["name"], only["visibility"], only["output"]) == ("For instructors: error", "hidden", "details")

"""Unit tests of scores per student and part and their text table (:mod:`autograder.reports.scores`), on a
synthetic 3-part assignment and scores made in memory (no gradebook is read)."""

from __future__ import annotations

import pytest

from autograder.grading.assignment import Assignment, AssignmentError
from autograder.reports.scores import StudentScores, format_review, format_table


def test_part_sums_the_cells_of_that_part_only(toy_scores: dict[str, StudentScores]) -> None:
    alice = toy_scores["alice"]
    # "q1" is a prefix of "q1_b": the cells of q1_b do not count for q1
    assert [alice.part(part) for part in ("q1", "q1_b", "q2")] == [2.0, 2.5, 0.0]
    assert alice.total == 4.5
    assert [toy_scores["carol"].part(part) for part in ("q1", "q1_b", "q2")] == [2.0, 4.0, 2.0]
    assert toy_scores["carol"].total == 8.0


def test_a_student_without_cells_has_zero_everywhere(toy: Assignment) -> None:
    empty = StudentScores("dan", toy)
    assert (empty.part("q1"), empty.part("q2"), empty.total) == (0, 0, 0)
    assert (empty.error, empty.seed, empty.faults, empty.flags, empty.review) == (None, None, [], [], "-")


def test_part_of_an_unknown_cell_raises(toy: Assignment) -> None:
    with pytest.raises(AssignmentError, match=r"^grade id 'x9' belongs to no part of toy$"):
        StudentScores("dan", toy, by_cell={"x9": 1.0}).part("q1")


@pytest.mark.parametrize(
    ("flags", "faults", "review"),
    [
        ([], [], "-"),
        (["a"], [], "FLAGGED"),
        (["a", "b"], [], "FLAGGED"),
        ([], ["x"], "1 fault(s)"),
        (["a"], ["x", "y", "z"], "FLAGGED, 3 fault(s)"),
    ],
)
def test_review(toy: Assignment, flags: list[str], faults: list[str], review: str) -> None:
    assert StudentScores("dan", toy, flags=flags, faults=faults).review == review


def test_format_table(toy_scores: dict[str, StudentScores], toy: Assignment) -> None:
    table = format_table(toy_scores, toy)
    lines = table.splitlines()
    assert [line.rstrip() for line in lines] == [
        "student  Question 1/2  Question 1b/4  Question 2/2  total/8  review",
        "-------  ------------  -------------  ------------  -------  --------------------------------",
        "alice    2             2.5            0             4.5      -",
        "bob      -             -              -             -        not graded: not in the gradebook",
        "carol    2             4              2             8        FLAGGED, 2 fault(s)",
        "Autograded points only; 4 more points are graded by hand in the formgrader.",
    ]
    assert len({len(line) for line in lines[:-1]}) == 1  # the columns are padded to one width


def test_format_table_of_no_students(toy: Assignment) -> None:
    assert [line.rstrip() for line in format_table({}, toy).splitlines()] == [
        "student  Question 1/2  Question 1b/4  Question 2/2  total/8  review",
        "-------  ------------  -------------  ------------  -------  ------",
        "Autograded points only; 4 more points are graded by hand in the formgrader.",
    ]


def test_format_review_lists_flags_then_faults_by_student(toy_scores: dict[str, StudentScores]) -> None:
    assert format_review(toy_scores) == (
        "  carol: FLAGGED q1_sum: tampering?\n  carol: fault timeout: cell 3\n  carol: fault memory limit: cell 5"
    )
    assert format_review({"alice": toy_scores["alice"]}) == ""


@pytest.mark.parametrize(
    ("seconds_late", "lms_late", "late_by", "lateness"),
    [
        (0.0, None, "", ""),
        (30.0, None, "under 1min", "Submitted under 1min after the due date."),
        (26 * 3600 + 300, "canvas", "1d 2h 5min", "Submitted 1d 2h 5min after the due date."),
        (0.0, "canvas", "Canvas's mark", "Marked late by Canvas (the download gives no time)."),
    ],
)
def test_lateness_from_nbgraders_time_or_the_lms_mark(
    toy: Assignment, seconds_late: float, lms_late: str | None, late_by: str, lateness: str
) -> None:
    scores = StudentScores("dan", toy, seconds_late=seconds_late, lms_late=lms_late)
    assert (scores.late_by, scores.lateness) == (late_by, lateness)


def test_the_final_total_waits_for_every_written_answer_and_takes_off_the_late_penalty(toy: Assignment) -> None:
    scores = StudentScores("dan", toy, by_cell={"q1_sum": 2.0}, manual={"q2_explain": None})
    scores.final_by_cell = {"q1_sum": 2.0}
    assert (scores.pending, scores.final_total) == (True, None)
    scores.manual, scores.final_by_cell["q2_explain"], scores.late_penalty = {"q2_explain": 3.0}, 3.0, 1.0
    assert (scores.pending, scores.final_total, scores.final_part("q2")) == (False, 4.0, 3.0)

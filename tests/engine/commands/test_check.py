"""Unit tests of comparing a graded sample with its ``EXPECTED`` (:mod:`autograder.commands.check`), on
the synthetic 3-part assignment and scores and records made in memory."""

from __future__ import annotations

from autograder.commands.check import differences, expected_points, summary
from autograder.grading.assignment import Assignment
from autograder.grading.records import CellRecord, GradingRecord
from autograder.grading.samples import Sample
from autograder.reports.scores import StudentScores

FULL = {"q1_sum": 2.0, "q1_b_prod": 3.0, "q1_b_edge": 1.0, "q2_mean": 2.0}


def record(*mistakes: str) -> GradingRecord:
    return GradingRecord("s", "toy", 1, {"q2_mean": CellRecord(0.0, 2.0, ["x"], list(mistakes), True, False)})


def test_expected_points_are_full_marks_but_for_the_samples_scores_or_zero_when_blank(toy: Assignment) -> None:
    assert expected_points(Sample("correct", ""), toy) == FULL
    assert expected_points(Sample("m", "", scores={"q2_mean": 0.0}), toy) == {**FULL, "q2_mean": 0.0}
    assert expected_points(Sample("blank", "", blank=True), toy) == dict.fromkeys(FULL, 0.0)


def test_a_sample_as_expected_has_no_difference(toy: Assignment) -> None:
    sample = Sample("m", "", scores={"q2_mean": 0.0}, mistake="halved")
    scores = StudentScores("m", toy, by_cell={**FULL, "q2_mean": 0.0})
    assert differences(sample, scores, record("halved")) == []


def test_every_way_a_sample_can_differ_is_named(toy: Assignment) -> None:
    sample = Sample("m", "", scores={"q2_mean": 0.0}, mistake="halved", flagged=True, fault="timeout")
    scores = StudentScores("m", toy, by_cell=FULL, faults=["memory limit: cell 3"])
    assert differences(sample, scores, record("doubled")) == [
        "q2_mean: 2 points, EXPECTED 0",
        "the mistake 'halved' was not named (named: doubled)",
        "flagged: False, EXPECTED True",
        "no fault 'timeout' (faults: memory limit: cell 3)",
    ]
    assert differences(sample, StudentScores("m", toy, error="no feedback HTML"), None) == [
        "not graded: no feedback HTML"
    ]
    assert summary({"m": ["q2_mean: 2 points, EXPECTED 0"], "correct": []}) == (
        "correct: as expected\nm: DIFFERS\n  q2_mean: 2 points, EXPECTED 0\n1 of 2 samples as their EXPECTED says"
    )

"""Gradescope's ``results.json`` for one graded submission: one test per part of the assignment.

Each test is one part of the submission's summary (:mod:`autograder.reports.feedback.summary`, the
summary on top of the nbgrader feedback page): its points, each cell's verdict, the named
mistakes with their hints, faults in plain words and the written answers graded by hand (on
Gradescope, manually graded questions). A hidden test, seen by instructors only, carries the
grading record's seed, faults and tamper flags.
"""

from __future__ import annotations

from typing import Any

from autograder.grading.assignment import Assignment
from autograder.grading.records import GradingRecord
from autograder.reports.feedback.summary import PartSummary, Summary

VISIBLE = "visible"
HIDDEN = "hidden"


def part_test(number: int, part: PartSummary) -> dict[str, Any]:
    """One Gradescope test: a part's autograded cells, as the feedback page's summary shows them."""
    return {
        "name": part.title,
        "number": str(number),
        "score": part.points,
        "max_score": part.max_points,
        "status": "passed" if part.points == part.max_points else "failed",
        "output": part.text(),
        "visibility": VISIBLE,
    }


def review_test(student: str, record: GradingRecord | None) -> dict[str, Any]:
    """The instructors' test (0 points, hidden from students): seed, faults and tamper flags."""
    lines = [f"student id {student}, seed of the hidden inputs: {record.seed if record else '-'}"]
    lines += [f"FLAGGED: {flag}" for flag in (record.flags if record else [])]
    lines += [f"fault: {fault}" for fault in (record.faults if record else [])]
    return {
        "name": "For instructors: grading record",
        "score": 0.0,
        "max_score": 0.0,
        "status": "failed" if record is None or record.flags else "passed",
        "output": "\n".join(lines) + "\n",
        "visibility": HIDDEN,
    }


def results_json(summary: Summary, student: str, record: GradingRecord | None, notes: list[str]) -> dict[str, Any]:
    """The whole ``results.json`` of a graded submission: the summary's totals, one test per part."""
    tests = [part_test(number, part) for number, part in enumerate(summary.parts, start=1)]
    return {
        "output": "\n".join(summary.headline() + notes),
        "visibility": VISIBLE,
        "stdout_visibility": HIDDEN,
        "tests": [*tests, review_test(student, record)],
    }


def failed_results(assignment: Assignment | None, message: str, details: str = "") -> dict[str, Any]:
    """``results.json`` for a submission that could not be graded: 0 points and what to do
    (without tests per part when not even the assignment could be loaded)."""
    maxima = assignment.points_by_part() if assignment is not None else {}
    tests = [
        {"name": assignment.title(part), "number": str(number), "score": 0.0, "max_score": maximum["auto"],
         "status": "failed", "output": message + "\n", "visibility": VISIBLE}
        for number, (part, maximum) in enumerate(maxima.items(), start=1)
    ]  # fmt: skip
    if details:
        tests.append({"name": "For instructors: error", "score": 0.0, "max_score": 0.0, "status": "failed",
                      "output": details, "visibility": HIDDEN})  # fmt: skip
    return {"output": message, "visibility": VISIBLE, "stdout_visibility": HIDDEN, "tests": tests}

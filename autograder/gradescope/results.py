"""Gradescope's ``results.json`` for one graded submission: one test per part of the assignment.

Scores come from the nbgrader gradebook, the text from the trusted grader's record (the same
lines students read under each test cell in the nbgrader feedback). Manually graded answers
are not in these tests: they are Gradescope questions graded by hand. A hidden test, seen by
instructors only, carries the grading record's seed, faults and tamper flags.
"""

from __future__ import annotations

from typing import Any

from autograder.assignment import Assignment
from autograder.records import GradingRecord
from autograder.report import StudentScores
from autograder.trusted import feedback_text

VISIBLE = "visible"
HIDDEN = "hidden"


def _cell_text(grade_id: str, points: float, max_points: float, record: GradingRecord | None) -> str:
    if record is None or grade_id not in record.cells:
        return feedback_text(grade_id, points, max_points, ["not graded (see the message above)"])
    return feedback_text(grade_id, points, max_points, record.cells[grade_id].problems)


def part_test(number: int, part: str, scores: StudentScores, record: GradingRecord | None) -> dict[str, Any]:
    """One Gradescope test: the autograded cells of one part."""
    assignment = scores.assignment
    cells = [cell for cell in assignment.autograded if cell.part == part]
    score = sum(scores.by_cell.get(cell.grade_id, 0.0) for cell in cells)
    max_score = assignment.points_by_part()[part]["auto"]
    output = "".join(_cell_text(cell.grade_id, scores.by_cell.get(cell.grade_id, 0.0), cell.points, record)
                     for cell in cells)  # fmt: skip
    by_hand = [grade_id for grade_id in assignment.manual if assignment.part_of(grade_id) == part]
    if by_hand:
        points = sum(assignment.manual[grade_id] for grade_id in by_hand)
        output += f"(+ {points:g} points for {', '.join(by_hand)}, graded by hand)\n"
    return {
        "name": assignment.title(part),
        "number": str(number),
        "score": score,
        "max_score": max_score,
        "status": "passed" if score == max_score else "failed",
        "output": output,
        "visibility": VISIBLE,
    }


def review_test(scores: StudentScores, record: GradingRecord | None) -> dict[str, Any]:
    """The instructors' test (0 points, hidden from students): seed, faults and tamper flags."""
    lines = [f"student id {scores.student}, seed of the hidden inputs: {record.seed if record else '-'}"]
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


def results_json(scores: StudentScores, record: GradingRecord | None, notes: list[str]) -> dict[str, Any]:
    """The whole ``results.json`` of a graded submission."""
    assignment = scores.assignment
    parts = [part.id for part in assignment.parts]
    tests = [part_test(number, part, scores, record) for number, part in enumerate(parts, start=1)]
    total = sum(test["score"] for test in tests)
    maximum = sum(test["max_score"] for test in tests)
    lines = [f"Autograded: {total:g} / {maximum:g} points."]
    if assignment.manual:
        manual = assignment.manual
        lines.append(f"{sum(manual.values()):g} more points ({', '.join(manual)}) are graded by hand.")
    lines += notes
    return {
        "output": "\n".join(lines),
        "visibility": VISIBLE,
        "stdout_visibility": HIDDEN,
        "tests": [*tests, review_test(scores, record)],
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

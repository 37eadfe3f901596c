"""Unit tests of grades back into the LMS (:mod:`autograder.lms_grades`) on the synthetic 3-part
assignment: Moodle's grading worksheet and Canvas's gradebook import, read back the way each
platform's importer reads them, and the students left out with the reason."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from autograder.assignment import Assignment
from autograder.lms_grades import Export, canvas_csv, grade_of, moodle_worksheet
from autograder.report import StudentScores

NOW = datetime(2026, 11, 27, 16, 30)
FULL = {"q1_sum": 2.0, "q1_b_prod": 3.0, "q1_b_edge": 1.0, "q2_mean": 2.0}


def scored(student: str, toy: Assignment, by_cell: dict[str, float], by_hand: float | None) -> StudentScores:
    """A student's scores as the gradebook gives them: autograded, and the written answer's."""
    final = {**by_cell, **({} if by_hand is None else {"q2_explain": by_hand})}
    return StudentScores(student, toy, by_cell=by_cell, manual={"q2_explain": by_hand}, final_by_cell=final)


def students(toy: Assignment) -> dict[str, StudentScores]:
    return {
        "moodle-1234567": scored("moodle-1234567", toy, FULL, 3.0),
        "moodle-7654321": scored("moodle-7654321", toy, FULL, None),
        "canvas-12345": scored("canvas-12345", toy, {**FULL, "q2_mean": 0.0}, 4.0),
        "canvas-anon_Xy3Zq": scored("canvas-anon_Xy3Zq", toy, FULL, 4.0),
        "alice": scored("alice", toy, FULL, 4.0),
        "moodle-5": StudentScores("moodle-5", toy, error="not in the gradebook"),
    }


NAMES = {"moodle-1234567": "Jane Doe", "canvas-12345": "doejane"}


def test_a_grade_is_every_point_or_why_there_is_none(toy: Assignment) -> None:
    scores = students(toy)
    assert grade_of(scores["moodle-1234567"]) == 11.0
    scores["moodle-1234567"].late_penalty = 2.0  # nbgrader's late-submission plugin took 2 points
    scores["moodle-1234567"].final_by_cell["q1_sum"] = 1.5  # a TA lowered an autograded score
    assert grade_of(scores["moodle-1234567"]) == 8.5
    assert grade_of(scores["moodle-7654321"]).startswith("a written answer is not graded yet")
    assert grade_of(scores["moodle-5"]) == "not graded (not in the gradebook)"


def test_moodle_worksheet_as_moodles_importer_reads_it(toy: Assignment) -> None:
    export = Export(Path("moodle_grades.csv"))
    rows = list(csv.DictReader(io.StringIO(moodle_worksheet(students(toy), NAMES, 12.0, NOW, export))))
    assert rows == [
        {
            "Identifier": "Participant 1234567",
            "Full name": "Jane Doe",
            "Grade": "11",
            "Maximum Grade": "12",
            "Last modified (grade)": "2026-11-27 16:30:00",
            "Feedback comments": "",
        }
    ]
    assert export.exported == ["moodle-1234567"]
    assert export.left_out == {
        "alice": "not from a Moodle download",
        "canvas-12345": "not from a Moodle download",
        "canvas-anon_Xy3Zq": "not from a Moodle download",
        "moodle-5": "not graded (not in the gradebook)",
        "moodle-7654321": "a written answer is not graded yet: grade it in the formgrader, then export again",
    }


def test_canvas_import_as_canvas_reads_it(toy: Assignment) -> None:
    export = Export(Path("canvas_grades.csv"))
    text = canvas_csv(students(toy), NAMES, "Sheet 12 (4567)", 12.0, export)
    assert list(csv.reader(io.StringIO(text))) == [
        ["Student", "ID", "Section", "Sheet 12 (4567)"],
        ["Points Possible", "", "", "12"],
        ["doejane", "12345", "", "10"],
    ]
    assert export.exported == ["canvas-12345"]
    assert (
        export.left_out["canvas-anon_Xy3Zq"] == "not from a Canvas download, or graded anonymously (no Canvas user id)"
    )
    assert set(export.left_out) == {"alice", "canvas-anon_Xy3Zq", "moodle-1234567", "moodle-5", "moodle-7654321"}

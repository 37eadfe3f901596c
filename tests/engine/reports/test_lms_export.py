"""Unit tests of grades back into the LMS (:mod:`autograder.reports.lms_export`) on the synthetic 3-part
assignment (8 points autograded, 4 by hand): the platforms' own files filled in, read back the way
each platform's importer reads them.

The worksheets and exports are as the platforms write them, built from their source code: Moodle
``mod/assign/gradingtable.php`` (columns, ``format_float`` with the language's decimal separator,
``userdate`` dates, the identifier ``get_string('hiddenuser') . recordid``), its English strings
and the German language pack (Moodle 4.5), written by OpenSpout's CSV writer (a byte order mark,
LF); Canvas ``lib/gradebook_exporter.rb`` (English headers, the ``Points Possible`` row, computed
columns marked read only, two decimals)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from autograder.grading.assignment import Assignment
from autograder.reports.lms_export import (
    LmsFileError,
    fill_canvas,
    fill_moodle,
    grade_of,
    read_table,
    summary_comment,
)
from autograder.reports.scores import StudentScores
from tests.engine.conftest import TOY_PARTS, TOY_TESTS, build_assignment

FULL = {"q1_sum": 2.0, "q1_b_prod": 3.0, "q1_b_edge": 1.0, "q2_mean": 2.0}
MAXIMUM = 12.0  # 8 autograded, 4 by hand

MOODLE_EN = (
    '\ufeffIdentifier,"Full name","Email address",Status,Grade,"Maximum grade","Grade can be changed",'
    '"Last modified (submission)","Online text","Last modified (grade)","Feedback comments"\n'
    '"Participant 1481","Jane Doe",jane.doe@example.edu,"Submitted for grading - Graded",8.50,10.00,Yes,'
    '"Monday, 3 June 2024, 9:12 AM",,"Tuesday, 4 June 2024, 2:05 PM","Good structure.   "\n'
    '"Participant 1482","Max Mustermann",max@example.edu,"Submitted for grading",,10.00,Yes,'
    '"Monday, 3 June 2024, 11:40 PM",,-,\n'
    '"Participant 1483","Ana Silva",ana@example.edu,"No submission",,10.00,Yes,-,,-,"Talk to me."\n'
)
MOODLE_DE = (
    '\ufeffID,"Vollständiger Name",E-Mail-Adresse,Status,Bewertung,Bestwertung,"Bewertung kann geändert werden",'
    '"Zuletzt geändert (Abgabe)","Texteingabe online","Zuletzt geändert (Bewertung)","Feedback als Kommentar"\n'
    'Teilnehmer/in1481,"Jane Doe",jane.doe@example.edu,"Zur Bewertung abgegeben - Bewertet","8,50","10,00",Ja,'
    '"Montag, 3. Juni 2024, 09:12",,"Dienstag, 4. Juni 2024, 14:05","Good structure.   "\n'
    'Teilnehmer/in1482,"Max Mustermann",max@example.edu,"Zur Bewertung abgegeben",,"10,00",Ja,'
    '"Montag, 3. Juni 2024, 23:40",,-,\n'
    'Teilnehmer/in1483,"Ana Silva",ana@example.edu,"Keine Abgabe",,"10,00",Ja,-,,-,"Talk to me."\n'
)
CANVAS = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Sheet 11 (4711),Sheet 12 (4712),Current Points,Final Points,"
    "Current Score,Unposted Current Score,Final Score,Unposted Final Score\n"
    "    Points Possible,,,,,10.00,20.00,(read only),(read only),(read only),(read only),(read only),(read only)\n"
    '"Doe, Jane",1201,S-1001,jdoe@example.edu,Section A,8.50,,8.50,8.50,85.00,85.00,28.33,28.33\n'
    '"Mustermann, Max",1202,S-1002,max@example.edu,Section A,4.00,12.00,16.00,16.00,53.33,53.33,53.33,53.33\n'
    '"Silva, Ana",1203,S-1003,ana@example.edu,Section A and Section B,N/A,EX,,,,,0.00,0.00\n'
)


def scored(student: str, toy: Assignment, by_cell: dict[str, float], by_hand: float | None) -> StudentScores:
    """A student's scores as the gradebook gives them: autograded, and the written answer's."""
    final = {**by_cell, **({} if by_hand is None else {"q2_explain": by_hand})}
    return StudentScores(student, toy, by_cell=by_cell, manual={"q2_explain": by_hand}, final_by_cell=final)


@pytest.fixture
def class_of(toy: Assignment) -> dict[str, StudentScores]:
    """Graded here: participant 1481 (11 of 12, a formgrader comment), 1482 (written answer pending),
    1999 (not in the LMS's file), Canvas users 1201 and 1203, and one not graded."""
    jane = scored("moodle-1481", toy, FULL, 3.0)
    jane.comments = {"q2_explain": "Say <why>"}
    return {
        "moodle-1481": jane,
        "moodle-1482": scored("moodle-1482", toy, FULL, None),
        "moodle-1999": scored("moodle-1999", toy, FULL, 4.0),
        "canvas-1201": scored("canvas-1201", toy, {**FULL, "q2_mean": 0.0}, 4.0),
        "canvas-1203": scored("canvas-1203", toy, FULL, 4.0),
        "moodle-5": StudentScores("moodle-5", toy, error="not in the gradebook"),
    }


def rows_of(path: Path) -> list[list[str]]:
    return read_table(path)[0]


def test_a_grade_is_the_final_total_or_why_there_is_none(class_of: dict[str, StudentScores]) -> None:
    assert grade_of(class_of["moodle-1481"]) == 11.0
    class_of["moodle-1481"].late_penalty = 2.0  # nbgrader's late-submission plugin took 2 points
    class_of["moodle-1481"].final_by_cell["q1_sum"] = 1.5  # a TA lowered an autograded score
    assert grade_of(class_of["moodle-1481"]) == 8.5
    assert grade_of(class_of["moodle-1482"]).startswith("a written answer is not graded yet")
    assert grade_of(class_of["moodle-1482"], provisional=True) == 8.0
    assert grade_of(class_of["moodle-5"]) == "not graded (not in the gradebook)"


def test_the_summary_comment_has_the_points_and_the_formgraders_comments_escaped(
    class_of: dict[str, StudentScores],
) -> None:
    assert summary_comment(class_of["moodle-1481"]) == "Autograded: 8 / 8; by hand: 3 / 4. Question 2: Say &lt;why&gt;."
    pending = summary_comment(class_of["moodle-1482"])
    assert pending == "Autograded: 8 / 8; by hand: pending / 4; provisional: a written answer is not graded yet."


@pytest.mark.parametrize(
    ("worksheet", "grade", "comment_header"),
    [(MOODLE_EN, "9.17", "Feedback comments"), (MOODLE_DE, "9,17", "Feedback als Kommentar")],
    ids=["en", "de"],
)
def test_moodles_worksheet_is_filled_in_as_it_came(
    class_of: dict[str, StudentScores], tmp_path: Path, worksheet: str, grade: str, comment_header: str
) -> None:
    source = tmp_path / "Grades-CS101-Sheet 12-42.csv"
    source.write_text(worksheet, encoding="utf-8")
    export = fill_moodle(source, class_of, MAXIMUM, tmp_path / "moodle_grades.csv")
    before, after = rows_of(source), rows_of(export.path)
    assert export.path.read_text(encoding="utf-8").startswith("\ufeff") and "\r" not in export.path.read_text()
    assert after[0] == before[0]  # headers, in the worksheet's language
    grade_column, comments = before[0].index(before[0][4]), before[0].index(comment_header)
    # 1481: 11 of 12 scaled to the worksheet's 10, in its decimals; the TA's comment kept, the summary added
    assert after[1][grade_column] == grade
    assert after[1][comments] == "Good structure. Autograded: 8 / 8; by hand: 3 / 4. Question 2: Say &lt;why&gt;."
    assert [cell for i, cell in enumerate(after[1]) if i not in (grade_column, comments)] == [
        cell for i, cell in enumerate(before[1]) if i not in (grade_column, comments)
    ]  # identifier, dates ("Last modified (grade)" as Moodle wrote it) and the rest as they were
    assert after[2:] == before[2:]  # 1482 pending; 1483 graded nowhere here: as Moodle wrote them
    assert export.exported == ["moodle-1481"]
    assert set(export.left_out) == {"moodle-1482", "moodle-1999", "moodle-5", "canvas-1201", "canvas-1203"}
    assert export.left_out["moodle-1999"] == "not in the worksheet"
    assert export.left_out["canvas-1201"] == "not from a Moodle download (no Moodle id)"
    assert export.left_out["moodle-1482"].startswith("a written answer is not graded yet")
    assert bool(export.notes) == (worksheet is MOODLE_DE)  # the German upload option to tick

    again = fill_moodle(export.path, class_of, MAXIMUM, tmp_path / "again.csv")  # exported twice: one summary
    assert rows_of(again.path) == after


def test_one_written_answer_of_two_still_pending_means_no_grade_in_the_lms(tmp_path: Path) -> None:
    """A student is graded by hand only when every written answer is: with one of two graded, the
    LMS's file keeps the student's row as it came, and the export says why."""
    two = build_assignment(tmp_path / "course", TOY_PARTS, TOY_TESTS, {"q2_explain": 2, "q2_why": 2})
    half = StudentScores(
        "moodle-1481",
        two,
        by_cell=FULL,
        manual={"q2_explain": 2.0, "q2_why": None},
        final_by_cell={**FULL, "q2_explain": 2.0},
    )
    assert half.pending and half.final_total is None and half.by_hand == "pending"
    assert grade_of(half).startswith("a written answer is not graded yet")
    moodle, canvas = tmp_path / "moodle.csv", tmp_path / "canvas.csv"
    moodle.write_text(MOODLE_EN, encoding="utf-8")
    canvas.write_text(CANVAS.replace("1201", "1481"), encoding="utf-8")
    exports = [
        fill_moodle(moodle, {"moodle-1481": half}, MAXIMUM, tmp_path / "moodle-out.csv"),
        fill_canvas(canvas, {"canvas-1481": half}, MAXIMUM, tmp_path / "canvas-out.csv", column="4712"),
    ]
    for source, export in zip((moodle, canvas), exports, strict=True):
        assert rows_of(export.path) == rows_of(source), source.name
        assert export.exported == [], source.name


def test_a_provisional_moodle_export_is_marked_as_such(class_of: dict[str, StudentScores], tmp_path: Path) -> None:
    source = tmp_path / "worksheet.csv"
    source.write_text(MOODLE_EN, encoding="utf-8")
    after = rows_of(fill_moodle(source, class_of, MAXIMUM, tmp_path / "out.csv", provisional=True).path)
    assert after[2][4] == "6.67"  # 8 of 12 so far
    assert after[2][10].endswith("provisional: a written answer is not graded yet.")


def test_a_file_that_is_no_moodle_worksheet_is_refused_by_name(
    class_of: dict[str, StudentScores], tmp_path: Path
) -> None:
    source = tmp_path / "grades.csv"
    source.write_text("Identifiant,Note\nParticipant 1,3\n", encoding="utf-8")
    with pytest.raises(LmsFileError, match=r"grades.csv: not a Moodle grading worksheet in a known language"):
        fill_moodle(source, class_of, MAXIMUM, tmp_path / "out.csv")
    source.write_text(MOODLE_EN.replace('"Maximum grade"', "Scale"), encoding="utf-8")
    with pytest.raises(LmsFileError, match=r"no 'Maximum grade' column: the assignment is graded on a scale"):
        fill_moodle(source, class_of, MAXIMUM, tmp_path / "out.csv")


def test_canvas_export_gets_one_column_filled_in_and_nothing_added(
    class_of: dict[str, StudentScores], tmp_path: Path
) -> None:
    source = tmp_path / "2026-12-07T0800_Grades-NN.csv"
    source.write_text(CANVAS, encoding="utf-8")
    export = fill_canvas(source, class_of, MAXIMUM, tmp_path / "canvas_grades.csv", column="4712")
    before, after = rows_of(source), rows_of(export.path)
    assert after[0] == before[0] and after[1] == before[1]  # headers and Points Possible
    assert after[2][6] == "16.67" and after[2][:6] == before[2][:6] and after[2][7:] == before[2][7:]  # 10 of 12
    assert after[3] == before[3]  # not graded here: kept
    assert after[4] == before[4]  # excused in Canvas: kept, and said so
    assert export.exported == ["canvas-1201"]
    assert export.left_out["canvas-1203"] == "Canvas has 'EX' (excused or not assigned): kept"
    assert next(csv.reader(io.StringIO(export.path.read_text()))) == before[0]


@pytest.mark.parametrize("column", ["Sheet 12", "4712", "Sheet 12 (4712)"])
def test_the_canvas_column_is_found_by_title_id_or_header(
    class_of: dict[str, StudentScores], tmp_path: Path, column: str
) -> None:
    source = tmp_path / "export.csv"
    source.write_text(CANVAS, encoding="utf-8")
    assert fill_canvas(source, class_of, MAXIMUM, tmp_path / "out.csv", column=column).exported == ["canvas-1201"]


def test_two_canvas_assignment_columns_need_a_name(class_of: dict[str, StudentScores], tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text(CANVAS, encoding="utf-8")
    with pytest.raises(LmsFileError, match=r"2 assignment columns; name the one to fill with --column"):
        fill_canvas(source, class_of, MAXIMUM, tmp_path / "out.csv")
    with pytest.raises(LmsFileError, match=r"no assignment column 'Sheet 13'; its columns: 'Sheet 11 \(4711\)'"):
        fill_canvas(source, class_of, MAXIMUM, tmp_path / "out.csv", column="Sheet 13")

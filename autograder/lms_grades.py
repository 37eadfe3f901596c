"""Grades back into the LMS: the CSV files Moodle and Canvas import, from a course's gradebook.

* **Moodle**, the assignment's grading worksheet (enable the "Offline grading worksheet" feedback
  type, then "Upload grading worksheet"). Moodle's importer
  (``mod/assign/feedback/offline/importgradeslib.php``) finds its columns by their header text:
  ``Identifier`` ("Participant <participant id>", as the worksheet Moodle downloads has it,
  ``mod/assign/gradingtable.php``), ``Grade`` and ``Last modified (grade)`` (a row whose grade
  was changed in Moodle after that time is skipped); ``Full name``, ``Maximum Grade`` and
  ``Feedback comments`` are as in Moodle's own worksheet.
* **Canvas**, the gradebook import (Grades, Import). Canvas's importer
  (``app/models/gradebook_importer.rb``) wants ``Student`` and ``ID`` (the Canvas user id) as the
  first columns and ``Section`` as the last column about the student, then one column per
  assignment: ``Title (assignment id)`` updates that assignment, a bare title the assignment of
  that exact name (or creates one). A ``Points Possible`` row gives the maximum.

A student's grade is their final total (:attr:`StudentScores.final_total`): all their points,
autograded (or as changed in the formgrader) and graded by hand, less a late penalty. A student with a written
answer not graded yet is not exported (grade it in the formgrader first), nor is one who did not
come from that LMS's download (their id is not the LMS's); both are listed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook

from autograder import course
from autograder.assignment import Assignment
from autograder.report import StudentScores, read_class

PLATFORMS = ("moodle", "canvas")


@dataclass
class Export:
    """An LMS's import file, and the students left out of it with the reason."""

    path: Path
    exported: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)


def grade_of(scores: StudentScores) -> float | str:
    """All the student's points, or why there is no grade yet."""
    if scores.error:
        return f"not graded ({scores.error})"
    final = scores.final_total
    if final is None:
        return "a written answer is not graded yet: grade it in the formgrader, then export again"
    return final


def _lms_id(student: str, platform: str) -> str | None:
    prefix = f"{platform}-"
    return student.removeprefix(prefix) if student.startswith(prefix) else None


def moodle_worksheet(
    scores: Mapping[str, StudentScores], names: Mapping[str, str], maximum: float, now: datetime, export: Export
) -> str:
    """Moodle's grading worksheet of these students."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)", "Feedback comments"])
    for student, result in sorted(scores.items()):
        grade, participant = grade_of(result), _lms_id(student, "moodle")
        if participant is None:
            export.left_out[student] = "not from a Moodle download"
            continue
        if isinstance(grade, str):
            export.left_out[student] = grade
            continue
        stamp = now.strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow([f"Participant {participant}", names.get(student, ""), f"{grade:g}", f"{maximum:g}", stamp, ""])
        export.exported.append(student)
    return out.getvalue()


def canvas_csv(
    scores: Mapping[str, StudentScores], names: Mapping[str, str], column: str, maximum: float, export: Export
) -> str:
    """Canvas's gradebook import of these students, one assignment column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["Student", "ID", "Section", column], ["Points Possible", "", "", f"{maximum:g}"]])
    for student, result in sorted(scores.items()):
        grade, user = grade_of(result), _lms_id(student, "canvas")
        if user is None or not user.isdigit():
            export.left_out[student] = "not from a Canvas download, or graded anonymously (no Canvas user id)"
            continue
        if isinstance(grade, str):
            export.left_out[student] = grade
            continue
        writer.writerow([names.get(student, ""), user, "", f"{grade:g}"])
        export.exported.append(student)
    return out.getvalue()


def export_grades(platform: str, workdir: Path, assignment: Assignment, column: str = "") -> Export:
    """Write ``<workdir>/<platform>_grades.csv`` from the gradebook of the course folder ``workdir``
    (``column``: Canvas's assignment column, default the assignment's id)."""
    scores = read_class(workdir, assignment)
    with Gradebook(course.gradebook_url(workdir)) as gradebook:
        names = {student.id: student.last_name or "" for student in gradebook.students}
    maxima = assignment.points_by_part().values()
    maximum = sum(part["auto"] + part["manual"] for part in maxima)
    export = Export(workdir / f"{platform}_grades.csv")
    if platform == "moodle":
        text = moodle_worksheet(scores, names, maximum, datetime.now(), export)
    elif platform == "canvas":
        text = canvas_csv(scores, names, column or assignment.id, maximum, export)
    else:
        raise ValueError(f"unknown LMS {platform!r}; choose one of {', '.join(PLATFORMS)}")
    export.path.write_text(text, encoding="utf-8")
    return export

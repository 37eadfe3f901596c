"""The whole pipeline on every assignment of the course, whatever its parts, cells and names.

For each assignment: the project's grade command on its bundled class (scores, table, CSV,
class report, plot and feedback pages), and nbgrader's own commands from a copy of the course
root (the same feedback page from plain ``nbgrader generate_feedback``).
(The build is checked for every assignment in test_build.py, Gradescope in test_gradescope.py.)
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from markupsafe import escape

from autograder import assignments
from autograder.grading.assignment import Assignment
from autograder.grading.notebooks import COURSE_ROOT
from autograder.reports.class_report import TOTAL_COLUMNS
from autograder.reports.feedback.summary import for_student
from tests.conftest import full_marks, nbgrader

IDS = assignments.available()


def expected_total(assignment_id: str, student: str) -> float:
    assignment = assignments.load(assignment_id)
    return sum(full_marks(assignment.samples()[student], assignment).values())


def assert_feedback_page(page: str, assignment: Assignment, gradebook: Path, student: str) -> None:
    """The course's feedback page: the summary by part (every part's title, in the sheet's order,
    and the student's totals), a verdict under each test cell, MathML and no MathJax."""
    summary = for_student(gradebook, assignment, student)
    assert re.findall(r'<th class="part">(.*?)</th>', page) == [part.title for part in assignment.parts]
    assert all(f"<span>{escape(line)}</span>" in page for line in summary.headline())
    assert page.count('<div class="verdict') == len(assignment.autograded)
    assert "<math" in page and "<script" not in page  # no MathJax, nor any other script


@pytest.mark.parametrize("assignment_id", IDS)
def test_the_grade_command_grades_the_bundled_class(tmp_path: Path, assignment_id: str) -> None:
    assignment = assignments.load(assignment_id)
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--assignment", assignment_id, "--workdir", str(tmp_path)],
        cwd=COURSE_ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    titles = [part.title for part in assignment.parts]
    header = next(line for line in done.stdout.splitlines() if line.startswith("student"))
    assert [column.split("/")[0] for column in header.split()[1 : 1 + len(titles)]] == titles
    with open(tmp_path / "grades.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["student", "name", *titles, *TOTAL_COLUMNS, "error"]
    totals = {row["student"]: float(row["autograded"]) for row in rows}
    assert totals == {student: expected_total(assignment_id, student) for student in assignment.bundled}
    assert (tmp_path / "class_report.md").read_text().startswith(f"# Class report: {assignment_id}")
    assert (tmp_path / "score_distribution.png").stat().st_size > 5_000
    page = (tmp_path / "class_report.html").read_text()
    assert f"<h1>Class report: {assignment_id}</h1>" in page
    assert all(f"<th>{title}</th>" in page for title in titles)  # every part, with the students' titles
    for student in assignment.bundled:
        page = (tmp_path / "feedback" / student / assignment_id / f"{assignment_id}.html").read_text()
        assert_feedback_page(page, assignment, tmp_path / "gradebook.db", student)


@pytest.mark.parametrize("assignment_id", IDS)
def test_nbgraders_own_commands_work_from_the_course_root(course_copy: Path, assignment_id: str) -> None:
    assignment = assignments.load(assignment_id)
    assert nbgrader(course_copy, "generate_assignment", assignment_id, "--force").returncode == 0
    mistaken = next(student for student, sample in assignment.samples().items() if sample.scores)
    students = ("correct", mistaken)
    for student in students:
        target = course_copy / "submitted" / student / assignment_id / assignment.notebook_name
        target.parent.mkdir(parents=True)
        nbformat.write(assignment.submission(assignment.samples()[student]), target)
    for command in (["autograde", assignment_id], ["generate_feedback", assignment_id], ["export"]):
        done = nbgrader(course_copy, *command)
        assert done.returncode == 0, (command, done.stderr)
    with open(course_copy / "grades.csv") as grades:
        rows = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(grades)}
    assert rows == {student: expected_total(assignment_id, student) for student in students}
    for student in students:  # plain nbgrader generate_feedback writes the course's page too
        page = (course_copy / "feedback" / student / assignment_id / f"{assignment_id}.html").read_text()
        assert_feedback_page(page, assignment, course_copy / "gradebook.db", student)

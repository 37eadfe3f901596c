"""The project's parallel command stores exactly what plain, sequential ``nbgrader autograde`` and
``nbgrader generate_feedback`` with this course's configuration store for the same submissions: the
gradebook cell by cell (scores, whether a person must grade, comments, the flag), the grading
records (points, problems, named mistakes, faults, tamper flags), the autograded notebooks and the
feedback HTML, byte for byte. Whatever makes the command fast must not change what anyone sees."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder.commands.grade import GradingRun
from autograder.grading import records
from tests.conftest import SAMPLES, SHEET12, nbgrader


def gradebook_cells(db_path: Path) -> dict[str, dict]:
    """Every student's stored grades, comments and flag, as plain data."""
    with Gradebook(f"sqlite:///{db_path}") as gradebook:
        return {
            submission.student.id: {
                "grades": {grade.name: (grade.auto_score, grade.needs_manual_grade) for grade in notebook.grades},
                "comments": {comment.name: comment.auto_comment for comment in notebook.comments},
                "flagged": notebook.flagged,
            }
            for submission in gradebook.assignment_submissions("sheet12")
            for notebook in submission.notebooks
        }


def record_of(workdir: Path, student: str) -> dict:
    """A grading record without what differs from run to run (its wall time, memory peak and CPU times)."""
    record = json.loads(records.record_path(workdir / records.RECORDS_DIRNAME, "sheet12", student).read_text())
    return {key: value for key, value in record.items() if key not in ("seconds", "grader_peak_mib", "cpu_seconds")}


def untimed(path: Path) -> nbformat.NotebookNode:
    """An autograded notebook without the times nbclient notes when each cell ran."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    return notebook


def test_the_sample_catalogue_is_stored_as_plain_nbgrader_stores_it(
    course_copy: Path, graded_class: GradingRun
) -> None:
    assert nbgrader(course_copy, "generate_assignment", "sheet12", "--force").returncode == 0
    for student, sample in SAMPLES.items():
        target = course_copy / "submitted" / student / "sheet12" / "sheet12.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(SHEET12.submission(sample), target)
    done = nbgrader(course_copy, "autograde", "sheet12")
    assert done.returncode == 0, done.stderr
    done = nbgrader(course_copy, "generate_feedback", "sheet12")
    assert done.returncode == 0, done.stderr
    plain, ours = gradebook_cells(course_copy / "gradebook.db"), gradebook_cells(graded_class.workdir / "gradebook.db")
    assert sorted(plain) == sorted(ours) == sorted(SAMPLES)
    for student in SAMPLES:
        assert ours[student] == plain[student], student
        assert record_of(graded_class.workdir, student) == record_of(course_copy, student), student
        notebook = f"autograded/{student}/sheet12/sheet12.ipynb"
        assert untimed(graded_class.workdir / notebook) == untimed(course_copy / notebook), notebook
        feedback = f"feedback/{student}/sheet12/sheet12.html"
        assert (graded_class.workdir / feedback).read_bytes() == (course_copy / feedback).read_bytes(), feedback

"""nbgrader's exchange, the whole loop with this course: the instructor releases sheet 12, a student
fetches it, answers and submits; the instructor collects, autogrades, writes and releases the
feedback; the student fetches the feedback page with the summary by part. Every step is nbgrader's
own command line; the exchange is a folder of this test (``Exchange.root``) instead of
/srv/nbgrader/exchange, and the student is the user running the test, as nbgrader names them."""

from __future__ import annotations

import csv
import getpass
import html
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.utils import parse_utc

from tests.conftest import SAMPLES, SHEET12, copy_course_repository, nbgrader


def run(folder: Path, *args: str) -> None:
    done = nbgrader(folder, *args)
    assert done.returncode == 0, (args, done.stdout, done.stderr)


def command(course: Path, *args: str) -> subprocess.CompletedProcess:
    """This course's command line, run from the course folder ``course``."""
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args], cwd=course, capture_output=True, text=True, timeout=900
    )


def test_release_fetch_submit_collect_grade_and_return_feedback(tmp_path: Path) -> None:
    course = copy_course_repository(tmp_path / "instructor")
    student_home = tmp_path / "student"
    student_home.mkdir()
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    where = [f"--Exchange.root={exchange}", "--course=neural-networks"]

    run(course, "generate_assignment", "sheet12", "--force")
    run(course, "release_assignment", "sheet12", *where)
    run(student_home, "fetch_assignment", "sheet12", *where)
    fetched = student_home / "sheet12" / "sheet12.ipynb"
    assert nbformat.read(fetched, 4).cells == nbformat.read(course / "release" / "sheet12" / "sheet12.ipynb", 4).cells
    nbformat.write(SHEET12.submission(SAMPLES["transposed_dW1"]), fetched)  # the student's answers
    run(student_home, "submit", "sheet12", *where)

    run(course, "collect", "sheet12", *where)
    student = getpass.getuser()
    assert (course / "submitted" / student / "sheet12" / "sheet12.ipynb").is_file()
    run(course, "autograde", "sheet12")
    run(course, "generate_feedback", "sheet12")
    run(course, "release_feedback", "sheet12", *where)
    run(student_home, "fetch_feedback", "sheet12", *where)

    (page,) = (student_home / "sheet12" / "feedback").glob("*/sheet12.html")
    text = page.read_text()
    assert '<div id="summary">' in text and "<span>Autograded: 15 / 20 points.</span>" in text
    assert "<b>transposed</b>" in text


def test_the_course_commands_grade_a_collected_class_with_its_times_and_release_the_final_feedback(
    tmp_path: Path,
) -> None:
    """The same loop with this course's own commands after ``collect``: ``grade`` reads the collected
    tree with each submission's time (nbgrader's ``timestamp.txt``) against the due date given, the
    TA grades the written answers (here through nbgrader's gradebook API), and ``finalize`` writes
    the final feedback, which the student then fetches through the exchange."""
    course = copy_course_repository(tmp_path / "instructor")
    student_home = tmp_path / "student"
    student_home.mkdir()
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    where = [f"--Exchange.root={exchange}"]  # the course id is the course's own (nbgrader_config.py)
    run(course, "generate_assignment", "sheet12", "--force")
    run(course, "release_assignment", "sheet12", *where)
    run(student_home, "fetch_assignment", "sheet12", *where, "--course=neural-networks")
    nbformat.write(SHEET12.submission(SAMPLES["transposed_dW1"]), student_home / "sheet12" / "sheet12.ipynb")
    run(student_home, "submit", "sheet12", *where, "--course=neural-networks")
    run(course, "collect", "sheet12", *where)
    student = getpass.getuser()
    collected = course / "submitted" / student / "sheet12"
    submitted_at = parse_utc((collected / "timestamp.txt").read_text())

    workdir = tmp_path / "grading"
    due = (submitted_at - timedelta(hours=2, minutes=5)).isoformat()
    graded = command(course, "grade", "submitted", "--assignment", "sheet12", "--workdir", str(workdir), "--due", due)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    page = html.unescape((workdir / "feedback" / student / "sheet12" / "sheet12.html").read_text())
    assert "Submitted 2h 5min after the due date." in page  # already in the first feedback
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission("sheet12", student)
        assert submission.timestamp == submitted_at.replace(tzinfo=None) and submission.total_seconds_late > 0
        for grade in gradebook.find_submission_notebook("sheet12", "sheet12", student).grades:
            if grade.name in SHEET12.manual:
                grade.manual_score, grade.needs_manual_grade = 1.0, False
        for comment in gradebook.find_submission_notebook("sheet12", "sheet12", student).comments:
            if comment.name in SHEET12.manual:
                comment.manual_comment = f"Seen by a TA ({comment.name})."
        gradebook.db.commit()

    final = command(
        course, "finalize", "--assignment", "sheet12", "--workdir", str(workdir), "--exchange", str(exchange)
    )
    assert final.returncode == 0, final.stdout + final.stderr
    assert f"Feedback released through nbgrader's exchange: {exchange / 'neural-networks' / 'feedback'}" in final.stdout
    with open(workdir / "grades.csv") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["autograded"], row["by hand"], row["late"], row["total"]) == ("15", "2", "2h 5min", "17")
    run(student_home, "fetch_feedback", "sheet12", *where, "--course=neural-networks")
    (fetched,) = (student_home / "sheet12" / "feedback").glob("*/sheet12.html")
    text = html.unescape(fetched.read_text())
    assert "Autograded: 15 / 20 points." in text and "Graded by hand: 2 / 4 points." in text
    assert "Seen by a TA (t12_2f_discussion)." in text and "Submitted 2h 5min after the due date." in text

"""nbgrader's exchange, the whole loop with this course: the instructor releases sheet 12, a student
fetches it, answers and submits; the instructor collects, autogrades, writes and releases the
feedback; the student fetches the feedback page with the summary by part. Every step is nbgrader's
own command line; the exchange is a folder of this test (``Exchange.root``) instead of
/srv/nbgrader/exchange, and the student is the user running the test, as nbgrader names them."""

from __future__ import annotations

import getpass
from pathlib import Path

import nbformat

from tests.conftest import SAMPLES, SHEET12, copy_course_repository, nbgrader


def run(folder: Path, *args: str) -> None:
    done = nbgrader(folder, *args)
    assert done.returncode == 0, (args, done.stdout, done.stderr)


def test_release_fetch_submit_collect_grade_and_return_feedback(tmp_path: Path) -> None:
    course = copy_course_repository(tmp_path / "instructor")
    student_home = tmp_path / "student"
    student_home.mkdir()
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    where = [f"--Exchange.root={exchange}", "--course=sheet12"]

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

"""The course folder the grading commands prepare: its new gradebook, a broken source, and a course
whose grading steps cannot be loaded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config import Config, PyFileConfigLoader

from autograder import course
from autograder.batch import one_student, pool, submissions
from autograder.grading.notebooks import COURSE_ROOT
from autograder.steps.sanitize import SanitizeSubmission
from tests.conftest import SAMPLES, SHEET12, nbgrader


def schema(db: Path) -> tuple[list[tuple], list[tuple]]:
    """The tables and indexes of a SQLite file, and its alembic revision."""
    with sqlite3.connect(db) as connection:
        objects = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return objects, revision


def test_new_gradebook_is_the_gradebook_nbgrader_would_create(tmp_path: Path) -> None:
    course.create_gradebook(tmp_path / "ours.db")
    with Gradebook(f"sqlite:///{tmp_path / 'nbgraders.db'}"):  # nbgrader's own way: runs `alembic heads`
        pass
    assert schema(tmp_path / "ours.db") == schema(tmp_path / "nbgraders.db")
    with Gradebook(f"sqlite:///{tmp_path / 'ours.db'}") as gradebook:  # nbgrader opens it as its own
        gradebook.add_student("someone")
    assert schema(tmp_path / "ours.db")[1] == schema(tmp_path / "nbgraders.db")[1]


def test_an_existing_gradebook_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "gradebook.db"
    course.create_gradebook(db)
    with Gradebook(f"sqlite:///{db}") as gradebook:
        gradebook.add_student("kept")
    course.create_gradebook(db)
    with Gradebook(f"sqlite:///{db}") as gradebook:
        assert [student.id for student in gradebook.students] == ["kept"]


def test_a_broken_source_notebook_stops_the_batch_with_nbgraders_reason(tmp_path: Path) -> None:
    course.copy_course(tmp_path)
    (tmp_path / "source" / "sheet12" / "sheet12.ipynb").write_text("{ not json")
    notebooks = {"alice": SHEET12.submission(SAMPLES["correct"]), "bob": SHEET12.submission(SAMPLES["blank"])}
    (tmp_path / "spooled").mkdir()
    files = submissions.spool_all(notebooks, tmp_path / "spooled")
    with pytest.raises(course.NbgraderError, match="generate_assignment"):
        pool.grade_all(tmp_path, "sheet12", files, jobs=2)  # the waiting workers are released, no hang


def test_a_stage_that_fails_for_one_student_is_reported_for_them_and_retried_on_resume(tmp_path: Path) -> None:
    """Round three, item 3. With the sanitizer taken out of autograding (a setting of the course
    for this run; real nbgrader), an image of a missing attachment makes nbgrader's
    generate_feedback fail for that student, once leaving an empty folder that counted as done; a
    feedback folder that cannot be written fails another's last step. Each is reported for that
    student with the reason and not marked graded; the classmate is graded; a resumed run, with
    the course as it is, grades both again."""
    course.copy_course(tmp_path)
    dangling = SHEET12.submission(SAMPLES["correct"])
    dangling.cells.append(nbformat.v4.new_markdown_cell("My figure: ![x](attachment:figure.png)"))
    correct = SHEET12.submission(SAMPLES["correct"])
    notebooks = {"alice": correct, "bob": dangling, "carl": correct}
    (tmp_path / "spooled").mkdir()
    files = submissions.spool_all(notebooks, tmp_path / "spooled")
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "carl").write_text("a file where carl's feedback folder goes")
    steps = PyFileConfigLoader("nbgrader_config.py", str(COURSE_ROOT)).load_config().Autograde.autograde_preprocessors
    unsanitized = Config()
    unsanitized.Autograde.autograde_preprocessors = [step for step in steps if step is not SanitizeSubmission]
    batch = pool.grade_all(tmp_path, "sheet12", files, jobs=2, overrides=unsanitized)
    assert sorted(batch.failures) == ["bob", "carl"]
    assert batch.failures["bob"].startswith("no feedback HTML (nbgrader generate_feedback: ")
    assert batch.failures["bob"].endswith("; grade again to retry")
    assert batch.failures["carl"].startswith(f"its feedback could not be written in {tmp_path} (")
    assert one_student.feedback_page(tmp_path, "sheet12", "alice").is_file()
    (tmp_path / "feedback" / "carl").unlink()
    again = pool.grade_all(tmp_path, "sheet12", files, jobs=2)
    assert again.skipped == ["alice"] and again.failures == {}
    assert "My figure: ![x](attachment:figure.png)" in one_student.feedback_page(tmp_path, "sheet12", "bob").read_text()
    assert one_student.feedback_page(tmp_path, "sheet12", "carl").is_file()


def test_nbgrader_grades_nothing_when_the_courses_grading_steps_cannot_load(course_copy: Path) -> None:
    """nbgrader logs a config file that raises and goes on with its defaults (stock Execute: no
    jail). The course's config stops every nbgrader command instead, saying what to do."""
    assert nbgrader(course_copy, "generate_assignment", "sheet12", "--force").returncode == 0
    target = course_copy / "submitted" / "alice" / "sheet12" / "sheet12.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(SHEET12.submission(SAMPLES["correct"]), target)
    trusted = course_copy / "autograder" / "steps" / "trusted.py"
    trusted.write_text(trusted.read_text() + '\nraise ImportError("a missing dependency")\n')
    done = nbgrader(course_copy, "autograde", "sheet12")
    assert done.returncode != 0
    assert "the course's grading steps cannot be loaded (ImportError: a missing dependency)" in done.stderr
    assert "bash install.sh" in done.stderr
    assert not (course_copy / "autograded").exists()

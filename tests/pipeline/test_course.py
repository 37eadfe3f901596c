"""The course folder the grading commands prepare: its new gradebook and a broken source."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder import course, parallel
from tests.conftest import SAMPLES, SHEET12


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
    with pytest.raises(course.NbgraderError, match="generate_assignment"):
        parallel.grade_all(tmp_path, "sheet12", notebooks, jobs=2)  # the waiting workers are released, no hang

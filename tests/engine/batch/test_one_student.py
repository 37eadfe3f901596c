"""Unit tests of how parallel grading places submissions and resumes (:mod:`autograder.batch.pool`):
``prepare_submissions``, the markers of ``mark_graded`` and ``already_graded``, and ``submission_path``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from autograder.batch import one_student

TEXT = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
DIGEST = hashlib.sha256(TEXT).hexdigest()


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course folder with the records folder that storing a student's grading record makes."""
    (tmp_path / "course" / "grading_records" / "sheet12").mkdir(parents=True)
    return tmp_path / "course"


def spooled(tmp_path: Path, content: bytes, name: str = "0.ipynb") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_each_notebook_is_copied_where_nbgrader_expects_it_with_its_hash(tmp_path: Path, course: Path) -> None:
    files = {"alice": spooled(tmp_path, TEXT), "bob": spooled(tmp_path, TEXT + b" ", "1.ipynb")}
    todo = one_student.prepare_submissions(course, "sheet12", files)
    assert todo == {"alice": DIGEST, "bob": hashlib.sha256(TEXT + b" ").hexdigest()}
    assert one_student.submission_path(course, "sheet12", "alice").read_bytes() == TEXT
    assert one_student.submission_path(course, "sheet12", "bob").read_bytes() == TEXT + b" "


def test_a_student_marked_graded_with_the_same_bytes_is_not_graded_again(tmp_path: Path, course: Path) -> None:
    files = {"alice": spooled(tmp_path, TEXT), "bob": spooled(tmp_path, TEXT, "1.ipynb")}
    one_student.mark_graded(
        course, "sheet12", "alice", one_student.prepare_submissions(course, "sheet12", files)["alice"]
    )
    assert one_student.prepare_submissions(course, "sheet12", files) == {"bob": DIGEST}


def test_a_changed_submission_is_graded_again(tmp_path: Path, course: Path) -> None:
    one_student.mark_graded(course, "sheet12", "alice", DIGEST)
    for changed in (TEXT.replace(b"[]", b"[ ]"), TEXT + b"\n"):
        files = {"alice": spooled(tmp_path, changed)}
        assert one_student.prepare_submissions(course, "sheet12", files) == {
            "alice": hashlib.sha256(changed).hexdigest()
        }


def test_the_marker_is_kept_beside_the_grading_record(course: Path) -> None:
    one_student.mark_graded(course, "sheet12", "alice", DIGEST)
    assert (course / "grading_records" / "sheet12" / "alice.sha256").read_text() == DIGEST


def test_the_marker_belongs_to_one_assignment_and_one_student(course: Path) -> None:
    one_student.mark_graded(course, "sheet12", "alice", DIGEST)
    assert one_student.already_graded(course, "sheet12", "alice", DIGEST) is True
    assert one_student.already_graded(course, "sheet13", "alice", DIGEST) is False
    assert one_student.already_graded(course, "sheet12", "bob", DIGEST) is False


def test_a_marker_with_other_content_is_not_trusted(course: Path) -> None:
    marker = course / "grading_records" / "sheet12" / "alice.sha256"
    for content in ("", DIGEST + "\n"):
        marker.write_text(content)
        assert one_student.already_graded(course, "sheet12", "alice", DIGEST) is False


def test_submission_path() -> None:
    assert one_student.submission_path(Path("/course"), "sheet12", "alice") == Path(
        "/course/submitted/alice/sheet12/sheet12.ipynb"
    )


def test_nbgraders_files_go_beside_the_notebook_and_a_new_time_is_a_new_submission(
    tmp_path: Path, course: Path
) -> None:
    notebook = spooled(tmp_path, TEXT)
    notebook.with_name("0.timestamp.txt").write_text("2026-12-01 17:00:00 UTC")
    todo = one_student.prepare_submissions(course, "sheet12", {"alice": notebook})
    placed = one_student.submission_path(course, "sheet12", "alice")
    assert one_student.beside(placed) == {"timestamp.txt": b"2026-12-01 17:00:00 UTC"}
    one_student.mark_graded(course, "sheet12", "alice", todo["alice"])
    assert one_student.prepare_submissions(course, "sheet12", {"alice": notebook}) == {}  # the same again
    notebook.with_name("0.timestamp.txt").write_text("2026-12-02 09:00:00 UTC")  # submitted again, same notebook
    assert list(one_student.prepare_submissions(course, "sheet12", {"alice": notebook})) == ["alice"]
    notebook.with_name("0.timestamp.txt").unlink()  # a notebook without a time: none is left from before
    assert one_student.prepare_submissions(course, "sheet12", {"alice": notebook}) == {"alice": DIGEST}
    assert one_student.beside(placed) == {}

"""Unit tests of the resume markers of parallel grading (:mod:`autograder.parallel`): ``already_graded``
against a marker written the way ``grade_all`` writes it, and ``submission_path``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from autograder import parallel

TEXT = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


def mark_graded(workdir: Path, assignment: str, student: str, text: str) -> Path:
    """The marker ``grade_all`` leaves once a student's feedback is in place."""
    marker = parallel._fingerprint(workdir, assignment, student)
    marker.parent.mkdir(parents=True, exist_ok=True)  # made by grade_all's _store when it copies the record
    marker.write_text(hashlib.sha256(text.encode()).hexdigest())
    return marker


def test_the_marker_is_kept_beside_the_grading_record(tmp_path: Path) -> None:
    marker = parallel._fingerprint(tmp_path, "sheet12", "alice")
    assert marker == tmp_path / "grading_records" / "sheet12" / "alice.sha256"


def test_already_graded_is_false_before_and_true_after_the_marker(tmp_path: Path) -> None:
    assert parallel.already_graded(tmp_path, "sheet12", "alice", TEXT) is False
    mark_graded(tmp_path, "sheet12", "alice", TEXT)
    assert parallel.already_graded(tmp_path, "sheet12", "alice", TEXT) is True


def test_a_changed_submission_is_graded_again(tmp_path: Path) -> None:
    mark_graded(tmp_path, "sheet12", "alice", TEXT)
    assert parallel.already_graded(tmp_path, "sheet12", "alice", TEXT.replace("[]", "[ ]")) is False
    assert parallel.already_graded(tmp_path, "sheet12", "alice", TEXT + "\n") is False


def test_the_marker_belongs_to_one_assignment_and_one_student(tmp_path: Path) -> None:
    mark_graded(tmp_path, "sheet12", "alice", TEXT)
    assert parallel.already_graded(tmp_path, "sheet13", "alice", TEXT) is False
    assert parallel.already_graded(tmp_path, "sheet12", "bob", TEXT) is False


def test_a_marker_with_other_content_is_not_trusted(tmp_path: Path) -> None:
    marker = mark_graded(tmp_path, "sheet12", "alice", TEXT)
    marker.write_text("")
    assert parallel.already_graded(tmp_path, "sheet12", "alice", TEXT) is False
    marker.write_text(hashlib.sha256(TEXT.encode()).hexdigest() + "\n")
    assert parallel.already_graded(tmp_path, "sheet12", "alice", TEXT) is False


def test_submission_path() -> None:
    assert parallel.submission_path(Path("/course"), "sheet12", "alice") == Path(
        "/course/submitted/alice/sheet12/sheet12.ipynb"
    )

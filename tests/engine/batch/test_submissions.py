"""Unit tests of finding submissions (:mod:`autograder.batch.submissions`): student ids, both layouts in a
folder or a zip, what is ignored, and the exact rejection messages for everything else."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.batch import submissions
from autograder.batch.submissions import Rejection
from autograder.grading.records import UploadNotes
from tests.engine.conftest import Find, markers

NOT_A_NOTEBOOK = "not a notebook (.ipynb); submissions are <student>.ipynb files or nbgrader folders"
NO_LAYOUT = "no sheet12/sheet12.ipynb inside; expected <student>/sheet12/sheet12.ipynb or an LMS's download"


pytestmark = pytest.mark.usefixtures("unzipped")


def write_notebook(path: Path, marker: str = "") -> Path:
    """A valid minimal notebook at ``path``, told apart from others by its metadata ``marker``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["marker"] = marker or path.as_posix()
    nbformat.write(notebook, path)
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alice", "alice"),
        ("a.b-c_d", "a.b-c_d"),
        ("王小明", "王小明"),
        ("Jane Doe (2)", "Jane_Doe_2-8f5302fa"),
        ("../../etc/passwd", "etc_passwd-3754d6cb"),
        ("._hidden_", "hidden-bb8c14f3"),
        ("", "student-e3b0c442"),
        ("☃", "student-51643361"),
    ],
)
def test_student_id_is_gradebook_safe_and_keeps_clean_names(name: str, expected: str) -> None:
    assert submissions.student_id(name) == expected


def test_a_long_name_gets_a_bounded_id_that_still_tells_names_apart() -> None:
    long_a, long_b = "ü" * 200 + "a", "ü" * 200 + "b"
    ids = [submissions.student_id(name) for name in (long_a, long_b, "x" * 65, "x" * 64)]
    assert ids[0] != ids[1] and ids[3] == "x" * 64
    assert all(len(student.encode()) <= 255 for student in ids)
    assert ids[2].startswith("x" * 64 + "-") and len(ids[2]) == 64 + 9


@pytest.mark.parametrize(
    "names", [("Anna Möller", "Anna Müller"), ("alice", "alice "), ("李华", "王小明"), ("a b", "a_b"), ("...", "")]
)
def test_student_ids_of_different_names_differ(names: tuple[str, str]) -> None:
    first, second = (submissions.student_id(name) for name in names)
    assert first != second and first == submissions.student_id(names[0])


def test_nbgrader_layout() -> None:
    assert submissions.nbgrader_layout("sheet12") == "sheet12/sheet12.ipynb"


def test_find_reads_both_layouts_and_rejects_the_rest_with_messages(tmp_path: Path, find: Find) -> None:
    folder = tmp_path / "class"
    write_notebook(folder / "alice.ipynb", "alice")
    write_notebook(folder / "bob" / "sheet12" / "sheet12.ipynb", "bob")
    write_notebook(folder / "Carl Smith.ipynb", "carl")
    # ignored: OS debris, checkpoints and the gradebook
    (folder / ".DS_Store").write_text("junk")
    write_notebook(folder / "__MACOSX" / "._alice.ipynb")
    write_notebook(folder / ".ipynb_checkpoints" / "alice-checkpoint.ipynb")
    (folder / "gradebook.db").write_text("")
    # rejected
    (folder / "notes.txt").write_text("hello")
    (folder / "broken.ipynb").write_text("this is not JSON")
    write_notebook(folder / "dora" / "sheet11" / "sheet11.ipynb")  # another assignment
    (folder / "erin").mkdir()
    write_notebook(folder / ".hidden.ipynb")

    found = find(folder)

    assert list(found.notebooks) == ["Carl_Smith-f5dc7e37", "alice", "bob"]
    assert markers(found) == {
        "Carl_Smith-f5dc7e37": "carl",
        "alice": "alice",
        "bob": "bob",
    }
    rejected = {rejection.path.name: rejection.reason for rejection in found.rejected}
    assert set(rejected) == {"notes.txt", "broken.ipynb", "dora", "erin", ".hidden.ipynb"}
    assert rejected[".hidden.ipynb"] == "a hidden file or folder (its name starts with '.'); rename it to grade it"
    assert rejected["notes.txt"] == NOT_A_NOTEBOOK
    assert rejected["dora"] == NO_LAYOUT
    assert rejected["erin"] == NO_LAYOUT
    assert rejected["broken.ipynb"].startswith("not a readable Jupyter notebook (Notebook does not appear to be JSON")
    assert rejected["broken.ipynb"].endswith("); ask for the file to be submitted again")


def test_a_rejection_reads_as_path_and_reason(tmp_path: Path, find: Find) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    (rejection,) = find(tmp_path).rejected
    assert rejection == Rejection(tmp_path / "notes.txt", NOT_A_NOTEBOOK)
    assert str(rejection) == f"{tmp_path / 'notes.txt'}: {NOT_A_NOTEBOOK}"


def test_a_notebook_that_breaks_the_schema_is_rejected(tmp_path: Path, find: Find) -> None:
    (tmp_path / "zoe.ipynb").write_text('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"x": 1}]}')
    found = find(tmp_path)
    assert found.notebooks == {}
    (rejection,) = found.rejected
    assert rejection.path == tmp_path / "zoe.ipynb"
    assert rejection.reason.startswith("not a readable Jupyter notebook (")
    assert rejection.reason.endswith("); ask for the file to be submitted again")


def test_of_two_uploads_of_a_student_the_one_named_like_the_notebook_is_graded(tmp_path: Path, find: Find) -> None:
    first = write_notebook(tmp_path / "erin" / "sheet12" / "sheet12.ipynb", "folder")
    second = write_notebook(tmp_path / "erin.ipynb", "file")  # newer, but not named sheet12.ipynb
    write_notebook(tmp_path / "erin!.ipynb", "bang")  # another name: another student
    found = find(tmp_path)
    assert sorted(found.notebooks) == ["erin", submissions.student_id("erin!")]
    assert markers(found)["erin"] == "folder"
    message = "another upload of student 'erin'; sheet12.ipynb is graded (the newest, notebooks named sheet12.ipynb"
    message += " first)"
    assert (found.rejected, found.superseded) == ([], [Rejection(second, message)])
    assert first.is_file()


def test_an_empty_folder_has_nothing(tmp_path: Path, find: Find) -> None:
    found = find(tmp_path)
    assert (found.notebooks, found.rejected) == ({}, [])


def test_a_zip_with_one_enclosing_folder_is_unzipped_into_it(tmp_path: Path, unzipped: Path, find: Find) -> None:
    class_folder = tmp_path / "made"
    write_notebook(class_folder / "alice" / "sheet12" / "sheet12.ipynb", "alice")
    write_notebook(class_folder / "bob.ipynb", "bob")
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(class_folder / "alice" / "sheet12" / "sheet12.ipynb", "submitted/alice/sheet12/sheet12.ipynb")
        zipped.write(class_folder / "bob.ipynb", "submitted/bob.ipynb")
        zipped.writestr("__MACOSX/submitted/._bob.ipynb", "resource fork")
    found = find(archive)
    assert markers(found) == {
        "alice": "alice",
        "bob": "bob",
    }
    assert found.rejected == []
    root, rejected = submissions.unzip(archive, tmp_path / "target", "sheet12")
    assert root == tmp_path / "target" / "submitted" and rejected == []


def test_a_zip_leaves_nothing_behind_and_names_its_rejects_inside_it(
    tmp_path: Path, unzipped: Path, find: Find
) -> None:
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("class/alice.ipynb", nbformat.writes(nbformat.v4.new_notebook()))
        zipped.writestr("class/notes.txt", "hello")
    found = find(archive)
    assert list(found.notebooks) == ["alice"]
    assert found.rejected == [Rejection(archive / "class" / "notes.txt", NOT_A_NOTEBOOK)]
    assert list(unzipped.iterdir()) == []


def test_a_zip_of_one_nbgrader_student_folder_is_not_descended_into(tmp_path: Path, find: Find) -> None:
    write_notebook(tmp_path / "src.ipynb", "alice")
    archive = tmp_path / "one.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(tmp_path / "src.ipynb", "alice/sheet12/sheet12.ipynb")
    found = find(archive)
    assert list(found.notebooks) == ["alice"]
    assert markers(found)["alice"] == "alice"


def test_a_zip_with_parts_outside_the_target_stays_inside(tmp_path: Path, find: Find) -> None:
    write_notebook(tmp_path / "src.ipynb", "mallory")
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(tmp_path / "src.ipynb", "../../mallory.ipynb")
    found = find(archive)
    assert list(found.notebooks) == ["mallory"]
    assert not (tmp_path / "mallory.ipynb").exists()


def test_a_missing_path_raises_file_not_found(tmp_path: Path, find: Find) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError) as raised:
        find(missing)
    assert str(raised.value) == f"{missing}: no such folder"


def test_a_plain_file_that_is_not_a_zip_raises_not_a_directory(tmp_path: Path, find: Find) -> None:
    plain = write_notebook(tmp_path / "alice.ipynb")
    with pytest.raises(NotADirectoryError) as raised:
        find(plain)
    assert str(raised.value) == f"{plain}: not a folder or zip; pass the folder that holds the submissions"


def test_read_notebook_returns_the_notebook_or_a_rejection(tmp_path: Path) -> None:
    good = write_notebook(tmp_path / "good.ipynb", "good")
    assert submissions.read_notebook(good, tmp_path).metadata["marker"] == "good"
    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(b"\x89PNG\r\n")
    rejection = submissions.read_notebook(bad, tmp_path)
    assert isinstance(rejection, Rejection)
    assert rejection.path == bad
    assert rejection.reason.startswith("not a readable Jupyter notebook (")


def test_each_readable_notebook_is_spooled_as_nbformat_writes_it_under_a_name_of_the_programs(tmp_path: Path) -> None:
    original = write_notebook(tmp_path / "class" / "Jane Doe (2).ipynb", "jane")
    spooled = tmp_path / "spooled"
    spooled.mkdir()
    found = submissions.find(tmp_path / "class", "sheet12", spooled)
    assert found.notebooks == {"Jane_Doe_2-8f5302fa": spooled / "0.ipynb"}
    assert (spooled / "0.ipynb").read_bytes() == nbformat.writes(nbformat.read(original, as_version=4)).encode()
    assert original.read_bytes() == (spooled / "0.ipynb").read_bytes() + b"\n"  # nbformat.write adds a newline


def test_a_notebook_over_the_size_bound_is_rejected_unread(tmp_path: Path, find: Find) -> None:
    write_notebook(tmp_path / "alice.ipynb", "alice")
    huge = tmp_path / "mallory.ipynb"
    with huge.open("wb") as file:  # sparse: the size without the bytes; not JSON either, so reading it would say so
        file.truncate(submissions.MAX_NOTEBOOK_BYTES + 1)
    found = find(tmp_path)
    assert markers(found) == {"alice": "alice"}
    reason = "larger than 64 MiB (64 MiB); ask for it again with its outputs cleared (Edit > Clear Outputs of All"
    assert found.rejected == [Rejection(huge, reason + " Cells, then save)")]


@pytest.mark.parametrize(
    ("bound", "value", "problem"),
    [("MAX_ZIP_ENTRIES", 2, "holds more than 2 files"), ("MAX_UNZIPPED_BYTES", 100, "unzips to more than 100 bytes")],
)
def test_a_zip_past_a_bound_is_refused_before_anything_is_extracted(
    tmp_path: Path, unzipped: Path, find: Find, monkeypatch: pytest.MonkeyPatch, bound: str, value: int, problem: str
) -> None:
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for student in ("alice", "bob", "carl"):
            zipped.writestr(f"{student}.ipynb", nbformat.writes(nbformat.v4.new_notebook()))
    monkeypatch.setattr(f"autograder.batch.archive.{bound}", value)
    with pytest.raises(NotADirectoryError) as raised:
        find(archive)
    assert str(raised.value) == f"{archive}: {problem}; unzip it yourself and pass the folder"
    assert list(unzipped.rglob("*.ipynb")) == []


def test_links_pipes_and_dangling_links_are_rejected_unread(tmp_path: Path, find: Find) -> None:
    secret = tmp_path / "grader" / "reference.py"
    secret.parent.mkdir()
    secret.write_text("SECRET_REFERENCE = 42")
    solution = write_notebook(tmp_path / "grader" / "sheet12.ipynb", "the instructor's")
    submitted = tmp_path / "submitted"
    write_notebook(submitted / "alice.ipynb", "alice")
    (submitted / "bob.ipynb").symlink_to(secret)
    (submitted / "carl" / "sheet12").mkdir(parents=True)
    (submitted / "carl" / "sheet12" / "sheet12.ipynb").symlink_to(solution)
    (submitted / "dora.ipynb").symlink_to(tmp_path / "nowhere.ipynb")
    os.mkfifo(submitted / "erin.ipynb")  # opening it to read would wait for a writer
    course = tmp_path / "course"  # the instructor's: source/sheet12/sheet12.ipynb, the layout of a student's folder
    write_notebook(course / "source" / "sheet12" / "sheet12.ipynb", "the instructor's")
    (submitted / "frank").symlink_to(course / "source")
    (submitted / "gina" / "sheet12").parent.mkdir()
    (submitted / "gina" / "sheet12").symlink_to(course / "source" / "sheet12")
    (submitted / "Hal Ek_1234567_assignsubmission_file").symlink_to(course / "source" / "sheet12")
    found = find(submitted)
    assert markers(found) == {"alice": "alice"}
    rejected = {str(rejection.path.relative_to(submitted)): rejection.reason for rejection in found.rejected}
    assert rejected == dict.fromkeys(
        [
            "bob.ipynb",
            "carl/sheet12/sheet12.ipynb",
            "dora.ipynb",
            "erin.ipynb",
            "frank/sheet12/sheet12.ipynb",
            "gina/sheet12/sheet12.ipynb",
            "Hal Ek_1234567_assignsubmission_file/sheet12.ipynb",
        ],
        submissions.NOT_A_FILE,
    )


def test_a_folder_named_like_an_lms_id_never_takes_that_participants_place(tmp_path: Path, find: Find) -> None:
    """Round three, item 5: ``moodle-1001/sheet12/sheet12.ipynb`` next to participant 1001's upload."""
    real = write_notebook(tmp_path / "Jane Doe_1001_assignsubmission_file" / "sheet12.ipynb", "jane")
    impostor = write_notebook(tmp_path / "moodle-1001" / "sheet12" / "sheet12.ipynb", "impostor")
    os.utime(impostor, (2_000_000_000, 2_000_000_000))  # newer: it would have been graded as the newest
    write_notebook(tmp_path / "moodle-2002" / "sheet12" / "sheet12.ipynb", "a tree of an earlier run")
    found = find(tmp_path)
    assert markers(found) == {"moodle-1001": "jane", "moodle-2002": "a tree of an earlier run"}
    reason = (
        "its name gives the student id 'moodle-1001', which is also the Moodle download's upload sheet12.ipynb;"
        " not graded, so that two submissions never share one id: rename it, or grade it in a run of its own"
    )
    assert found.rejected == [Rejection(impostor, reason)]
    assert found.superseded == [] and real.exists()


def test_nbgraders_files_beside_a_collected_notebook_are_spooled_with_it_when_fit(tmp_path: Path, find: Find) -> None:
    """``collect`` keeps the submission time and the feedback secret next to the notebook; they are
    spooled beside it when they are small regular files (and the time is one nbgrader reads), and
    listed as dropped otherwise (the notebook is graded all the same)."""
    folder = tmp_path / "submitted"
    for student in ("ann", "ben", "cat", "dan"):
        write_notebook(folder / student / "sheet12" / "sheet12.ipynb", student)
    (folder / "ann" / "sheet12" / "timestamp.txt").write_text("2026-12-01 16:59:59.123456 UTC")
    (folder / "ann" / "sheet12" / "submission_secret.txt").write_text("0a1b2c")
    (folder / "ben" / "sheet12" / "timestamp.txt").write_text("yesterday at noon")
    (folder / "cat" / "sheet12" / "timestamp.txt").write_text("2026-12-01 17:00:00 UTC" + " " * 300)
    os.symlink("/etc/hostname", folder / "dan" / "sheet12" / "submission_secret.txt")

    found = find(folder)

    assert sorted(found.notebooks) == ["ann", "ben", "cat", "dan"]
    spooled = {student: submissions.companions(path) for student, path in found.notebooks.items()}
    assert {name: path.read_text() for name, path in spooled["ann"].items()} == {
        "timestamp.txt": "2026-12-01 16:59:59.123456 UTC",
        "submission_secret.txt": "0a1b2c",
    }
    assert spooled["ben"] == spooled["cat"] == spooled["dan"] == {}
    assert {(r.path.parent.parent.name, r.path.name): r.reason for r in found.dropped} == {
        ("ben", "timestamp.txt"): "not a time nbgrader can read; graded without a submission time",
        ("cat", "timestamp.txt"): "larger than 256 bytes; graded without it",
        ("dan", "submission_secret.txt"): "a link or a special file; graded without it",
    }
    assert found.rejected == [] and found.notes == {}


def test_a_canvas_late_mark_is_kept_for_the_graded_upload(tmp_path: Path, find: Find) -> None:
    download = tmp_path / "download"
    write_notebook(download / "doejane_LATE_12345_67890_sheet12.ipynb", "jane")
    write_notebook(download / "smithjohn_23456_68001_sheet12.ipynb", "john")
    assert find(download).notes == {"canvas-12345": UploadNotes(late_mark="canvas")}

"""Unit tests of LMS download names (:mod:`autograder.batch.uploads`) and of finding submissions in Moodle's and
Canvas's downloads, folder per student and flat, in a folder or a zip: each student by the LMS's
id with their name, the newest upload graded and the others listed, what is no notebook rejected.
The fixtures reproduce the names each platform's source code builds (see the module's docstring)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.batch import submissions, uploads
from autograder.batch.uploads import NotANotebook, Upload
from autograder.grading.records import UploadNotes
from tests.engine.conftest import Find, markers

OLD, NEW = 1_700_000_000, 1_700_086_400  # a day apart


pytestmark = pytest.mark.usefixtures("unzipped")


def write_notebook(path: Path, marker: str, mtime: float = OLD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["marker"] = marker
    nbformat.write(notebook, path)
    os.utime(path, (mtime, mtime))
    return path


def reasons(found: submissions.Found) -> dict[str, str]:
    """Why each file is not graded: rejected, or an older upload."""
    return {rejection.path.name: rejection.reason for rejection in found.rejected + found.superseded}


@pytest.mark.parametrize(
    "folder", ["Jane Doe_1234567_assignsubmission_file", "Jane Doe_1234567_assignsubmission_file_"]
)
def test_a_moodle_folder_of_either_version(tmp_path: Path, folder: str) -> None:
    notebook = write_notebook(tmp_path / folder / "sheet12.ipynb", "jane")
    assert uploads.moodle_folder(tmp_path / folder) == [
        Upload("moodle-1234567", "Jane Doe", notebook, "sheet12.ipynb", OLD, lms="moodle")
    ]


def test_a_flat_moodle_file_and_online_text(tmp_path: Path) -> None:
    flat = write_notebook(tmp_path / "Jane Doe_1234567_assignsubmission_file_sheet12.ipynb", "jane")
    assert uploads.moodle_file(flat) == Upload("moodle-1234567", "Jane Doe", flat, "sheet12.ipynb", OLD, lms="moodle")
    text = tmp_path / "Jane Doe_1234567_assignsubmission_onlinetext_onlinetext.html"
    text.write_text("<p>hi</p>")
    assert isinstance(uploads.moodle_file(text), NotANotebook)
    assert uploads.moodle_file(tmp_path / "alice.ipynb") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("doejane_12345_67890_sheet12.ipynb", ("canvas-12345", "doejane", "sheet12.ipynb", 67890.0, False)),
        ("doejane_LATE_12345_67890_sheet12.ipynb", ("canvas-12345", "doejane", "sheet12.ipynb", 67890.0, True)),
        ("doejane_12345_67999_sheet12-1.ipynb", ("canvas-12345", "doejane", "sheet12.ipynb", 67999.0, False)),
        ("anon_Xy3Zq_68000_sheet12.ipynb", ("canvas-anon_Xy3Zq", "", "sheet12.ipynb", 68000.0, False)),
        ("doejane_12345_67890_my_sheet_12.ipynb", ("canvas-12345", "doejane", "my_sheet_12.ipynb", 67890.0, False)),
    ],
)
def test_canvas_names(tmp_path: Path, name: str, expected: tuple) -> None:
    path = write_notebook(tmp_path / name, name)
    upload = uploads.canvas_file(path)
    assert (upload.student, upload.name, upload.filename, upload.newness, upload.late) == expected


def test_names_of_no_lms_are_left_alone(tmp_path: Path) -> None:
    for name in ("alice.ipynb", "Jane Doe.ipynb", "sheet12.ipynb", "a_b.ipynb"):
        path = write_notebook(tmp_path / name, name)
        assert uploads.canvas_file(path) is None and uploads.moodle_file(path) is None


def test_a_moodle_download_in_folders(tmp_path: Path, find: Find) -> None:
    download = tmp_path / "BAML-Sheet 12-42"
    write_notebook(download / "Jane Doe_1234567_assignsubmission_file" / "sheet12.ipynb", "jane")
    write_notebook(download / "Jane Doe_1234567_assignsubmission_file" / "draft" / "scratch.ipynb", "scratch", NEW)
    (download / "Jane Doe_1234567_assignsubmission_file" / "data.csv").write_text("x\n")
    write_notebook(download / "Anna Müller_7654321_assignsubmission_file" / "Sheet 12 (final).ipynb", "anna")
    (download / "Bo Li_5555555_assignsubmission_onlinetext").mkdir()
    found = find(download)
    assert markers(found) == {"moodle-1234567": "jane", "moodle-7654321": "anna"}
    assert found.names == {"moodle-1234567": "Jane Doe", "moodle-7654321": "Anna Müller"}
    rule = (
        "sheet12.ipynb is graded by a rule, not by date: Moodle's download does not say which upload is newest"
        " (its zip dates every file at the download), so the notebook named sheet12.ipynb is graded, else the one"
        " with the latest file date; check which one the student meant (to grade another, remove the others from"
        " the download and grade again)"
    )
    assert found.notes == {
        "moodle-1234567": UploadNotes(which_upload=f"2 notebooks uploaded (sheet12.ipynb, scratch.ipynb); {rule}")
    }
    assert reasons(found) == {
        "scratch.ipynb": f"another upload of student 'moodle-1234567'; {rule}",
        "data.csv": "not a notebook (.ipynb); only notebooks are graded",
        "Bo Li_5555555_assignsubmission_onlinetext": "a Moodle 'onlinetext' submission, not an uploaded file; ask for"
        " the notebook as a file submission",
    }


def test_a_flat_moodle_download_in_a_zip_grades_each_students_newest_notebook(tmp_path: Path, find: Find) -> None:
    archive = tmp_path / "BAML-Sheet 12-42.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, marker, date in [
            ("Jane Doe_1234567_assignsubmission_file_sheet12 (2).ipynb", "jane, newer", (2026, 11, 20, 10, 0, 0)),
            ("Jane Doe_1234567_assignsubmission_file_sheet12 (1).ipynb", "jane, older", (2026, 11, 19, 10, 0, 0)),
            ("Tom Ek_2222222_assignsubmission_file_sheet12.ipynb", "tom", (2026, 11, 18, 10, 0, 0)),
        ]:
            notebook = nbformat.v4.new_notebook()
            notebook.metadata["marker"] = marker
            zipped.writestr(zipfile.ZipInfo(name, date), nbformat.writes(notebook))
    found = find(archive)
    assert markers(found) == {"moodle-1234567": "jane, newer", "moodle-2222222": "tom"}
    (older,) = found.superseded
    assert found.rejected == []
    assert older.path == archive / "Jane Doe_1234567_assignsubmission_file_sheet12 (1).ipynb"
    assert older.reason.startswith("another upload of student 'moodle-1234567'; Jane Doe_1234567_assignsubmission_")
    assert "graded by a rule, not by date: Moodle's download does not say which upload is newest" in older.reason
    assert found.notes["moodle-1234567"].which_upload.startswith("2 notebooks uploaded (sheet12 (2).ipynb, sheet12 (1)")


def test_a_canvas_download_grades_the_newest_upload_and_keeps_late_ones(tmp_path: Path, find: Find) -> None:
    download = tmp_path / "submissions"
    write_notebook(download / "doejane_12345_67890_sheet12.ipynb", "jane, first", NEW)
    write_notebook(download / "doejane_12345_67999_sheet12-1.ipynb", "jane, second", OLD)  # newer by Canvas's id
    write_notebook(download / "smithjohn_LATE_23456_68001_sheet12.ipynb", "john")
    write_notebook(download / "anon_Xy3Zq_68002_sheet12.ipynb", "anonymous")
    (download / "leeann_34567_text.html").write_text("<p>my answers</p>")
    found = find(download)
    assert markers(found) == {"canvas-12345": "jane, second", "canvas-23456": "john", "canvas-anon_Xy3Zq": "anonymous"}
    assert found.names == {"canvas-12345": "doejane", "canvas-23456": "smithjohn"}
    assert set(reasons(found)) == {"doejane_12345_67890_sheet12.ipynb", "leeann_34567_text.html"}


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Jane Doe", "Jane Doe"),
        ("Anna Müller-Lüdenscheidt", "Anna Müller-Lüdenscheidt"),
        ("Seán O'Brien", "Seán O'Brien"),
        ("<img src=x onerror=alert(1)>", "img srcx onerroralert1"),
        ('=HYPERLINK("http://x")', "HYPERLINKhttpx"),
        ("-2+3", "23"),
        ("@SUM(A1)", "SUMA1"),
        ("x" * 300, "x" * 100),
    ],
)
def test_a_name_from_a_file_name_is_safe_to_show_and_export(raw: str, clean: str) -> None:
    assert uploads.clean_name(raw) == clean


def test_a_hostile_name_in_a_moodle_download_is_cleaned(tmp_path: Path) -> None:
    folder = tmp_path / "=cmd@x <b>_1234567_assignsubmission_file"
    write_notebook(folder / "sheet12.ipynb", "x")
    (upload,) = uploads.moodle_folder(folder)
    assert upload.name == "cmdx b"

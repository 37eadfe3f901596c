"""Finding submissions in a folder or a zip and turning bad input into clear messages.

Two layouts are understood, in a folder or in a zip archive (as downloaded from an LMS or
made by nbgrader's ``zip_collect``; one enclosing folder such as ``submitted/`` is fine):

* an nbgrader ``submitted/`` tree: ``<folder>/<student>/<assignment>/<assignment>.ipynb``;
* notebooks named by student: ``<folder>/<student>.ipynb``.

Anything else is reported as a :class:`Rejection`, and the rest is graded.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

IGNORED = {".DS_Store", ".ipynb_checkpoints", "__MACOSX", "gradebook.db"}
MAX_UNZIPPED_BYTES = 2 * 1024**3


class NoSubmissions(ValueError):
    """A folder without a single gradable submission."""


@dataclass(frozen=True)
class Rejection:
    """A file or folder that could not be graded, and what to do about it."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Found:
    """The submissions found in a folder: readable notebooks by student, and the rejects."""

    notebooks: dict[str, NotebookNode]
    rejected: list[Rejection]


def student_id(name: str) -> str:
    """A gradebook-safe student id from a file or folder name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "student"


def read_notebook(path: Path) -> NotebookNode | Rejection:
    """The notebook at ``path``, or a rejection saying why it cannot be graded."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Rejection(path, f"not a readable Jupyter notebook ({reason}); ask for the file to be submitted again")
    return notebook


def nbgrader_layout(assignment: str) -> str:
    """Where a student's notebook is in an nbgrader tree, below the student's folder."""
    return f"{assignment}/{assignment}.ipynb"


def _candidate(entry: Path, assignment: str) -> tuple[str, Path] | Rejection | None:
    if entry.name in IGNORED or entry.name.startswith("."):
        return None
    if entry.is_dir():
        notebook = entry / nbgrader_layout(assignment)
        if notebook.is_file():
            return student_id(entry.name), notebook
        layout = nbgrader_layout(assignment)
        return Rejection(entry, f"no {layout} inside; expected <student>/{layout}")
    if entry.suffix == ".ipynb":
        return student_id(entry.stem), entry
    return Rejection(entry, "not a notebook (.ipynb); submissions are <student>.ipynb files or nbgrader folders")


def unzip(archive: Path, assignment: str) -> Path:
    """The folder of submissions inside a zip archive (extracted to a temporary folder)."""
    with zipfile.ZipFile(archive) as opened:
        if sum(member.file_size for member in opened.infolist()) > MAX_UNZIPPED_BYTES:
            raise NotADirectoryError(f"{archive}: unzips to more than {MAX_UNZIPPED_BYTES} bytes")
        target = Path(tempfile.mkdtemp(prefix="autograder-zip-"))
        opened.extractall(target)  # zipfile drops absolute paths and ".." parts
    root = target
    while True:
        entries = [entry for entry in root.iterdir() if entry.name not in IGNORED]
        if len(entries) != 1 or not entries[0].is_dir() or (entries[0] / nbgrader_layout(assignment)).exists():
            return root
        root = entries[0]


def find(folder: Path, assignment: str) -> Found:
    """Every submission of ``assignment`` in ``folder`` (or a zip archive); raises
    FileNotFoundError/NotADirectoryError."""
    if not folder.exists():
        raise FileNotFoundError(f"{folder}: no such folder")
    if folder.is_file() and zipfile.is_zipfile(folder):
        folder = unzip(folder, assignment)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder or zip; pass the folder that holds the submissions")
    found = Found({}, [])
    for entry in sorted(folder.iterdir()):
        candidate = _candidate(entry, assignment)
        if candidate is None:
            continue
        if isinstance(candidate, Rejection):
            found.rejected.append(candidate)
            continue
        student, path = candidate
        if student in found.notebooks:
            found.rejected.append(
                Rejection(path, f"a second submission for student '{student}'; the first one is graded")
            )
            continue
        notebook = read_notebook(path)
        if isinstance(notebook, Rejection):
            found.rejected.append(notebook)
        else:
            found.notebooks[student] = notebook
    return found

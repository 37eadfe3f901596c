"""Finding submissions in a folder or a zip and turning bad input into clear messages.

Two layouts are understood, in a folder or in a zip archive (as downloaded from an LMS or
made by nbgrader's ``zip_collect``; one enclosing folder such as ``submitted/`` is fine):

* an nbgrader ``submitted/`` tree: ``<folder>/<student>/<assignment>/<assignment>.ipynb``;
* notebooks named by student: ``<folder>/<student>.ipynb``.

Anything else is reported as a :class:`Rejection`, and the rest is graded. A zip is extracted
into a temporary folder that is removed once its notebooks are read; rejections name the file
as ``<archive>/<path in the archive>``.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

#: Names that tools (not students) put next to submissions; skipped without a word.
IGNORED = {".DS_Store", ".ipynb_checkpoints", "__MACOSX", "gradebook.db"}
MAX_UNZIPPED_BYTES = 2 * 1024**3
#: The longest student id kept as it is (folder names have a limit of 255 bytes; ids may be UTF-8).
MAX_ID_LENGTH = 64


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
    """A gradebook-safe student id for a file or folder name, unique and stable for any Unicode name.

    A name of at most MAX_ID_LENGTH letters (any script), digits, ``_``, ``.`` and ``-`` is its own
    id. Any other name becomes those characters (the first MAX_ID_LENGTH) with the rest replaced by
    ``_``, plus ``-`` and 8 hex digits of the name's SHA-256: "Anna Möller" and "Anna Müller",
    "alice " and "alice" stay apart, and no id is too long for a folder name.
    """
    safe = re.sub(r"[^\w.-]+", "_", name).strip("._-")
    if safe and safe == name and len(name) <= MAX_ID_LENGTH:
        return name
    return f"{safe[:MAX_ID_LENGTH] or 'student'}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


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
    if entry.name in IGNORED:
        return None
    if entry.name.startswith("."):
        return Rejection(entry, "a hidden file or folder (its name starts with '.'); rename it to grade it")
    if entry.is_dir():
        notebook = entry / nbgrader_layout(assignment)
        if notebook.is_file():
            return student_id(entry.name), notebook
        layout = nbgrader_layout(assignment)
        return Rejection(entry, f"no {layout} inside; expected <student>/{layout}")
    if entry.suffix == ".ipynb":
        return student_id(entry.stem), entry
    return Rejection(entry, "not a notebook (.ipynb); submissions are <student>.ipynb files or nbgrader folders")


def unzip(archive: Path, target: Path, assignment: str) -> Path:
    """The folder of submissions inside a zip archive, extracted into ``target``."""
    with zipfile.ZipFile(archive) as opened:
        if sum(member.file_size for member in opened.infolist()) > MAX_UNZIPPED_BYTES:
            raise NotADirectoryError(f"{archive}: unzips to more than {MAX_UNZIPPED_BYTES} bytes")
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
        with tempfile.TemporaryDirectory(prefix="autograder-zip-") as scratch:
            found = _scan(unzip(folder, Path(scratch), assignment), assignment)
            found.rejected = [Rejection(folder / r.path.relative_to(scratch), r.reason) for r in found.rejected]
            return found
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder or zip; pass the folder that holds the submissions")
    return _scan(folder, assignment)


def _scan(folder: Path, assignment: str) -> Found:
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

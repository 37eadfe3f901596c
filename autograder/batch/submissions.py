"""Finding submissions in a folder or a zip and turning bad input into clear messages.

These layouts are understood, in a folder or in a zip archive (one enclosing folder such as
``submitted/`` is fine), and may be mixed:

* an nbgrader ``submitted/`` tree (``collect``, ``zip_collect``):
  ``<folder>/<student>/<assignment>/<assignment>.ipynb``;
* notebooks named by student: ``<folder>/<student>.ipynb``;
* Moodle's and Canvas's "download all submissions", folder per student or flat
  (:mod:`autograder.batch.uploads`): the student is the LMS's id, their name is kept.

When one student has several notebooks, the newest upload is graded (among those named like the
assignment's notebook, if any) and the others are listed. Anything else is reported as a
:class:`Rejection` with what to do, and the rest is graded. A zip is extracted into a temporary
folder (keeping each file's date) that is removed once its notebooks are read; rejections name
the file as ``<archive>/<path in the archive>``; an entry that cannot be extracted is one
(:mod:`autograder.batch.archive`). A notebook is read only from a regular file of
bounded size, never through a symbolic link (see :func:`read_notebook`).

Each readable notebook is written, as nbformat writes it, into a spool folder the caller owns
(one file per student) and only its path is kept, so that a class of any size is read in the
memory of one notebook. From an nbgrader tree, the files nbgrader's ``collect`` keeps next to a
notebook (:data:`NBGRADER_FILES`: the submission time, which nbgrader's late penalty reads, and
the secret its exchange returns feedback by) are spooled beside it (:func:`companions`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.utils import parse_utc

from autograder.batch import archive, uploads
from autograder.batch.uploads import Upload
from autograder.grading.records import UploadNotes

#: Names that tools (not students) put next to submissions; skipped without a word.
IGNORED = {".DS_Store", ".ipynb_checkpoints", "__MACOSX", "gradebook.db"}
#: The largest notebook read (parsing takes several times its size in memory; a sheet's notebook
#: with its outputs is well under 1 MiB, and grading clears the outputs anyway).
MAX_NOTEBOOK_BYTES = 64 * 1024**2
#: Why a symbolic link, a device or a pipe where a notebook should be is not read.
NOT_A_FILE = "a link or a special file, not a notebook file; ask for the notebook itself"
#: How the name of a run's spool folder (see :func:`spool_folder`) begins.
SPOOL_PREFIX = "autograder-spool-"
#: Files nbgrader's ``collect`` puts next to a submitted notebook, kept with it: the submission
#: time (``autograde`` stores it; nbgrader's late penalty and the feedback read it) and the secret
#: by which ``release_feedback`` files the feedback for the student to fetch.
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")
#: The largest of those read (each is one line).
MAX_NBGRADER_FILE_BYTES = 256
#: The longest student id kept as it is (folder names have a limit of 255 bytes; ids may be UTF-8).
MAX_ID_LENGTH = 64


#: Characters that would steer a terminal or reorder text when a name is printed.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control and text-direction characters written as escapes (a file name is the
    submitter's to choose, and it is printed to the instructor's terminal)."""
    return UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


class NoSubmissions(ValueError):
    """A folder without a single gradable submission."""


@dataclass(frozen=True)
class Rejection:
    """A file or folder that could not be graded, and what to do about it."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{printable(str(self.path))}: {self.reason}"


@dataclass
class Found:
    """The submissions found in a folder: the spooled file of each readable notebook by student, the
    rejects, the older uploads of students (not graded, not an error), and the names where the
    download gives them."""

    notebooks: dict[str, Path]
    rejected: list[Rejection]
    superseded: list[Rejection] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    #: Files next to a notebook that were not kept, and why (the notebook is graded without them).
    dropped: list[Rejection] = field(default_factory=list)
    #: What the download said about each student's graded upload, where it said anything.
    notes: dict[str, UploadNotes] = field(default_factory=dict)


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


def _through_a_link(path: Path, folder: Path) -> bool:
    """Whether ``path``, or a folder between ``folder`` and it, is a symbolic link."""
    parts = path.relative_to(folder).parts
    return any(folder.joinpath(*parts[: depth + 1]).is_symlink() for depth in range(len(parts)))


def read_notebook(path: Path, folder: Path) -> NotebookNode | Rejection:
    """The notebook in the file at ``path`` (below ``folder``), or a rejection saying why it cannot be
    graded. Only a regular file of at most MAX_NOTEBOOK_BYTES is read, and never through a symbolic
    link (the file or a folder between ``folder`` and it): a link could lead to a grader's own file
    or to the instructor's notebook; nor is a device or a pipe."""
    content = read_small(path, folder, MAX_NOTEBOOK_BYTES)
    if isinstance(content, NotRead):
        if content.kind == "too large":
            return Rejection(
                path,
                f"larger than {MAX_NOTEBOOK_BYTES // 1024**2} MiB ({content.size / 1024**2:.0f} MiB); ask for it"
                " again with its outputs cleared (Edit > Clear Outputs of All Cells, then save)",
            )
        if content.kind == "unreadable":
            return Rejection(path, f"{content}; check the file's permissions")
        return Rejection(path, NOT_A_FILE)
    try:
        notebook = nbformat.reads(content.decode(), as_version=4)
        nbformat.validate(notebook)
    except Exception as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Rejection(path, f"not a readable Jupyter notebook ({reason}); ask for the file to be submitted again")
    return notebook


@contextmanager
def spool_folder() -> Iterator[Path]:
    """A temporary folder to spool a run's notebooks into, removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix=SPOOL_PREFIX) as spooled:
        yield Path(spooled)


def spool(notebook: NotebookNode, student: str, spooled: Path, files: dict[str, Path]) -> None:
    """Write a student's notebook into the folder ``spooled`` as nbformat writes it (UTF-8, without
    the final newline that ``nbformat.write`` adds: these bytes are what a resumed run compares),
    under a name of the program's, and note its path in ``files``."""
    files[student] = spooled / f"{len(files)}.ipynb"
    files[student].write_bytes(nbformat.writes(notebook).encode())


def companions(notebook: Path) -> dict[str, Path]:
    """The nbgrader files (:data:`NBGRADER_FILES`) spooled beside a spooled notebook, by name."""
    found = {name: notebook.with_name(f"{notebook.stem}.{name}") for name in NBGRADER_FILES}
    return {name: path for name, path in found.items() if path.is_file()}


def nbgrader_files(folder: Path, root: Path) -> tuple[dict[str, bytes], list[Rejection]]:
    """The nbgrader files next to a notebook in ``folder`` (below ``root``) that are fit to keep, and
    why any other was dropped: a regular small file (read as a notebook is, never through a link),
    and for the time, one that nbgrader can read (else its autograde fails)."""
    kept, dropped = {}, []
    for name in NBGRADER_FILES:
        path = folder / name
        if not path.exists() and not path.is_symlink():
            continue
        content = read_small(path, root, MAX_NBGRADER_FILE_BYTES)
        if isinstance(content, NotRead):
            dropped.append(Rejection(path, f"{content}; graded without it"))
            continue
        if name == "timestamp.txt":
            try:
                parse_utc(content.decode().strip())
            except (ValueError, OverflowError, UnicodeDecodeError):
                dropped.append(Rejection(path, "not a time nbgrader can read; graded without a submission time"))
                continue
        kept[name] = content
    return kept, dropped


@dataclass(frozen=True)
class NotRead:
    """Why a file was not read: ``kind`` "not a file" (a link on the way, a device, a pipe, a
    folder), "too large" (``size`` bytes, over ``limit``) or "unreadable" (the system's ``reason``)."""

    kind: str
    limit: int = 0
    size: int = 0
    reason: str = ""

    def __str__(self) -> str:
        if self.kind == "too large":
            return f"larger than {self.limit} bytes"
        return f"unreadable ({self.reason})" if self.kind == "unreadable" else "a link or a special file"


def read_small(path: Path, root: Path, limit: int) -> bytes | NotRead:
    """The bytes of a regular file of at most ``limit`` bytes below ``root``, never read through a
    symbolic link (the file or a folder between ``root`` and it), nor from a device or a pipe;
    else why not."""
    if _through_a_link(path, root):
        return NotRead("not a file")
    try:
        # O_NOFOLLOW: a link put in the file's place since the check above is not followed either.
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NOFOLLOW | os.O_NONBLOCK)) as file:
            facts = os.fstat(file.fileno())
            if not stat.S_ISREG(facts.st_mode):
                return NotRead("not a file")
            if facts.st_size > limit:
                return NotRead("too large", limit, facts.st_size)
            content = file.read(limit + 1)  # one that grew since is cut: too large
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a symbolic link
            return NotRead("not a file")
        return NotRead("unreadable", reason=error.strerror or type(error).__name__)
    return content if len(content) <= limit else NotRead("too large", limit, len(content))


def spool_all(notebooks: Mapping[str, NotebookNode], spooled: Path) -> dict[str, Path]:
    """Every student's notebook written into the folder ``spooled``: the file of each student."""
    files: dict[str, Path] = {}
    for student, notebook in notebooks.items():
        spool(notebook, student, spooled, files)
    return files


def nbgrader_layout(assignment: str) -> str:
    """Where a student's notebook is in an nbgrader tree, below the student's folder."""
    return f"{assignment}/{assignment}.ipynb"


def _uploads(entry: Path, assignment: str) -> Iterator[Upload | Rejection]:
    """What one entry of the submissions folder holds: uploads, or why it cannot be graded."""
    if entry.name in IGNORED:
        return
    if entry.name.startswith("."):
        yield Rejection(entry, "a hidden file or folder (its name starts with '.'); rename it to grade it")
        return
    named = uploads.moodle_folder(entry) if entry.is_dir() else uploads.moodle_file(entry) or uploads.canvas_file(entry)
    if named is not None:
        for upload in named if isinstance(named, list) else [named]:
            if isinstance(upload, uploads.NotANotebook):
                yield Rejection(upload.path, upload.reason)
            elif upload.path.suffix != ".ipynb":
                yield Rejection(upload.path, "not a notebook (.ipynb); only notebooks are graded")
            else:
                yield upload
    elif entry.is_dir():
        notebook = entry / nbgrader_layout(assignment)
        layout = nbgrader_layout(assignment)
        if notebook.is_file():
            yield Upload(student_id(entry.name), "", notebook, notebook.name, notebook.lstat().st_mtime)
        else:
            yield Rejection(entry, f"no {layout} inside; expected <student>/{layout} or an LMS's download")
    elif entry.suffix == ".ipynb":
        yield Upload(student_id(entry.stem), "", entry, entry.name, entry.lstat().st_mtime)
    else:
        yield Rejection(entry, "not a notebook (.ipynb); submissions are <student>.ipynb files or nbgrader folders")


def _one_source(student: str, uploads: list[Upload]) -> tuple[list[Upload], list[Rejection]]:
    """A student's uploads from one source: where an LMS's download gives this id (its own
    participant or user id) and a file or folder of the instructor's naming gives it too, the LMS's
    uploads are the student's, and the others are refused (they are someone else's, or a copy)."""
    named_by_lms = [upload for upload in uploads if upload.lms]
    if not named_by_lms or len(named_by_lms) == len(uploads):
        return uploads, []
    source = f"the {named_by_lms[0].lms.capitalize()} download's upload {named_by_lms[0].path.name}"
    reason = (
        f"its name gives the student id '{student}', which is also {source}; not graded, so that two"
        " submissions never share one id: rename it, or grade it in a run of its own"
    )
    return named_by_lms, [Rejection(upload.path, reason) for upload in uploads if not upload.lms]


def unordered(chosen: Upload, assignment: str) -> str:
    """Why the upload graded among several of an LMS that cannot order them is a guess, and what to do."""
    return (
        f"{chosen.lms.capitalize()}'s download does not say which upload is newest (its zip dates every file at"
        f" the download), so the notebook named {assignment}.ipynb is graded, else the one with the latest file"
        " date; check which one the student meant (to grade another, remove the others from the download and"
        " grade again)"
    )


def newest(uploads: list[Upload], notebook_name: str) -> Upload:
    """The upload to grade: the newest of those named like the assignment's notebook, if any, else
    the newest of all."""
    named = [upload for upload in uploads if upload.filename == notebook_name]
    return max(named or uploads, key=lambda upload: upload.newness)


def unzip(zipped: Path, target: Path, assignment: str) -> tuple[Path, list[Rejection]]:
    """The folder of submissions inside a zip archive, extracted into ``target``, and the entries
    that could not be extracted (:mod:`autograder.batch.archive`)."""
    skipped = archive.extract(zipped, target)
    rejected = [Rejection(zipped / entry.name, entry.reason) for entry in skipped]
    root = target
    while True:
        entries = [entry for entry in root.iterdir() if entry.name not in IGNORED]
        if len(entries) != 1 or not entries[0].is_dir() or (entries[0] / nbgrader_layout(assignment)).exists():
            return root, rejected
        root = entries[0]


def find(folder: Path, assignment: str, spooled: Path) -> Found:
    """Every submission of ``assignment`` in ``folder`` (or a zip archive), each readable one written
    into the folder ``spooled``; raises FileNotFoundError/NotADirectoryError."""
    if not folder.exists():
        raise FileNotFoundError(f"{folder}: no such folder")
    if folder.is_file() and zipfile.is_zipfile(folder):
        with tempfile.TemporaryDirectory(prefix="autograder-zip-") as scratch:
            try:
                root, unextracted = unzip(folder, Path(scratch), assignment)
            except zipfile.BadZipFile as error:
                raise NotADirectoryError(f"{folder}: a damaged zip ({error}); download it again") from None
            found = _scan(root, assignment, spooled)
            found.rejected = unextracted + [
                Rejection(folder / r.path.relative_to(scratch), r.reason) for r in found.rejected
            ]
            found.superseded = [Rejection(folder / r.path.relative_to(scratch), r.reason) for r in found.superseded]
            return found
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder or zip; pass the folder that holds the submissions")
    return _scan(folder, assignment, spooled)


def _scan(folder: Path, assignment: str, spooled: Path) -> Found:
    found, by_student = Found({}, []), {}
    for entry in sorted(folder.iterdir()):
        try:
            uploads = list(_uploads(entry, assignment))
        except OSError as error:  # e.g. a folder that cannot be listed: only this entry is lost
            uploads = [Rejection(entry, f"unreadable ({error.strerror or error}); check its permissions")]
        for upload in uploads:
            if isinstance(upload, Rejection):
                found.rejected.append(upload)
            else:
                by_student.setdefault(upload.student, []).append(upload)
    for student, uploads in sorted(by_student.items()):
        uploads, clashing = _one_source(student, uploads)
        found.rejected += clashing
        chosen = newest(uploads, f"{assignment}.ipynb")
        others = [upload for upload in uploads if upload is not chosen]
        graded = f"{chosen.path.name} is graded (the newest, notebooks named {assignment}.ipynb first)"
        notes = UploadNotes(late_mark=chosen.lms if chosen.late else None)
        if others and not chosen.orderable:
            graded = f"{chosen.path.name} is graded by a rule, not by date: {unordered(chosen, assignment)}"
            uploaded = ", ".join(upload.filename for upload in [chosen, *others])
            notes.which_upload = f"{len(uploads)} notebooks uploaded ({uploaded}); {graded}"
        found.superseded += [
            Rejection(upload.path, f"another upload of student '{student}'; {graded}") for upload in others
        ]
        notebook = read_notebook(chosen.path, folder)
        if isinstance(notebook, Rejection):
            found.rejected.append(notebook)
            continue
        spool(notebook, student, spooled, found.notebooks)
        if chosen.name:
            found.names[student] = chosen.name
        if notes != UploadNotes():
            found.notes[student] = notes
        if not chosen.lms and chosen.path.parts[-2:] == (assignment, f"{assignment}.ipynb"):  # an nbgrader tree's
            kept, dropped = nbgrader_files(chosen.path.parent, folder)
            found.dropped += dropped
            for name, content in kept.items():
                spooled_notebook = found.notebooks[student]
                spooled_notebook.with_name(f"{spooled_notebook.stem}.{name}").write_bytes(content)
    return found

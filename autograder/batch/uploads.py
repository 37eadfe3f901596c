"""Whose upload a file of an LMS download is: the names Moodle and Canvas give submissions.

Each platform's naming, as its own source code builds it:

* **Moodle** ("Download all submissions", ``mod/assign/classes/downloader.php``; before 4.1
  ``assign::download_submissions`` in ``mod/assign/locallib.php``): the prefix is the student's
  full name (underscores made spaces) and the assignment's participant id,
  ``Jane Doe_1234567``. With "Download submissions in folders" (the default since 3.1) each
  submission is a folder ``Jane Doe_1234567_assignsubmission_file`` (before 4.1 with a trailing
  ``_``) holding the uploaded files; without it the files are flat,
  ``Jane Doe_1234567_assignsubmission_file_sheet12.ipynb``. Online text is
  ``..._assignsubmission_onlinetext``. The participant id is what the grading worksheet calls
  "Participant 1234567"; Moodle's own feedback import splits the name at ``_`` the same way
  (``mod/assign/feedback/file/importziplib.php``).
* **Canvas** ("Download Submissions", ``lib/content_zipper.rb``): the student's sortable name
  lowercased to word characters, ``LATE`` for a late submission, the Canvas user id (or
  ``anon_<id>`` under anonymous grading), the file's attachment id and its name:
  ``doejane_12345_67890_sheet12.ipynb``, ``doejane_LATE_12345_67890_sheet12.ipynb``; a second
  file of the same name is ``sheet12-1.ipynb``. Attachment ids grow with every upload, so the
  larger is the newer.

A student's gradebook id is ``moodle-<participant id>`` or ``canvas-<user id>``; the name is kept
for the reports, reduced to letters, digits, spaces and ``.'-`` and at most 100 characters (a file
name is the submitter's to choose: no markup for a browser, no formula for a spreadsheet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MOODLE_FOLDER = re.compile(r"^(?P<name>[^_]+)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")
MOODLE_FILE = re.compile(r"^(?P<name>[^_]+)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.+)$")
CANVAS_FILE = re.compile(
    r"^(?:(?P<name>[^_]+)_)?(?:(?P<late>LATE)_)?(?P<id>\d+|anon_[A-Za-z0-9]+)_(?P<upload>\d+)_(?P<file>.+)$"
)
#: Canvas's suffix for a second file of the same name: ``sheet12-1.ipynb``.
RESUBMITTED = re.compile(r"^(?P<stem>.+)-\d+(?P<suffix>\.[^.]+)$")
MAX_NAME = 100


def clean_name(raw: str) -> str:
    """A name from a file name, safe to show and to export: word characters, spaces and ``.'-`` only,
    not starting with a sign a spreadsheet reads as a formula, at most MAX_NAME characters."""
    kept = re.sub(r"[^\w .'-]+", "", raw)
    return " ".join(kept.split()).lstrip("-'. ")[:MAX_NAME]


@dataclass(frozen=True)
class Upload:
    """One file a student uploaded, as a download names it."""

    student: str
    name: str
    path: Path
    #: The file's name as the student uploaded it (the LMS's prefix and copy suffix removed).
    filename: str
    #: Larger is newer (Canvas: the attachment id; otherwise the file's modification time).
    newness: float
    late: bool = False
    #: The LMS whose download named the file ("moodle", "canvas"); empty for a name of the instructor's.
    lms: str = ""

    @property
    def orderable(self) -> bool:
        """Whether ``newness`` orders this student's uploads: not for Moodle's, whose download dates
        every file at the download (Canvas's attachment ids and an instructor's own files' dates do)."""
        return self.lms != "moodle"


@dataclass(frozen=True)
class NotANotebook:
    """A submission an LMS names but that is no notebook (e.g. Moodle's online text)."""

    path: Path
    reason: str


def moodle_folder(entry: Path) -> list[Upload | NotANotebook] | None:
    """The uploads in a Moodle submission folder, None if ``entry`` is not one."""
    match = MOODLE_FOLDER.match(entry.name)
    if not entry.is_dir() or not match:
        return None
    if match["plugin"] != "file":
        return [NotANotebook(entry, _not_a_file(match["plugin"]))]
    return [
        Upload(f"moodle-{match['id']}", clean_name(match["name"]), path, path.name, path.lstat().st_mtime, lms="moodle")
        for path in sorted(entry.rglob("*"))
        if path.is_file()
    ]


def moodle_file(entry: Path) -> Upload | NotANotebook | None:
    """A file of a flat Moodle download, None if ``entry`` is not one."""
    match = MOODLE_FILE.match(entry.name)
    if not entry.is_file() or not match:
        return None
    if match["plugin"] != "file":
        return NotANotebook(entry, _not_a_file(match["plugin"]))
    moodle_id, name = f"moodle-{match['id']}", clean_name(match["name"])
    return Upload(moodle_id, name, entry, match["file"], entry.lstat().st_mtime, lms="moodle")


def canvas_file(entry: Path) -> Upload | None:
    """A file of a Canvas download, None if ``entry`` is not one."""
    match = CANVAS_FILE.match(entry.name)
    if not entry.is_file() or not match:
        return None
    copy = RESUBMITTED.match(match["file"])
    filename = copy["stem"] + copy["suffix"] if copy else match["file"]
    name = clean_name(match["name"] or "")
    late = bool(match["late"])
    return Upload(f"canvas-{match['id']}", name, entry, filename, float(match["upload"]), late=late, lms="canvas")


def _not_a_file(plugin: str) -> str:
    return f"a Moodle '{plugin}' submission, not an uploaded file; ask for the notebook as a file submission"

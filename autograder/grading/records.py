"""Grading records: what the trusted grader saw for each student, kept where only graders look.

One JSON file per assignment and student under ``<course>/grading_records/``: the seed of
the hidden inputs, each cell's points and problems, faults (timeouts, crashes, memory,
unreadable answers) and tamper flags, and what grading it cost (wall time, the grader's peak
memory). The report reads them; students never see them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

RECORDS_DIRNAME = "grading_records"


def record_path(records_dir: Path, assignment: str, student: str, suffix: str = ".json") -> Path:
    """Where the record of one submission is kept (``suffix``: another file kept beside it)."""
    return records_dir / assignment / f"{student}{suffix}"


@dataclass
class CellRecord:
    """One autograded cell as graded."""

    points: float
    max_points: float
    problems: list[str]
    mistakes: list[str]
    in_kernel_passed: bool | None
    public_passed: bool


@dataclass
class GradingRecord:
    """Everything the trusted grader decided about one submission."""

    student: str
    assignment: str
    seed: int
    cells: dict[str, CellRecord] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    #: Wall time of running and checking the submission, and the grading process's peak memory then.
    seconds: float | None = None
    grader_peak_mib: float | None = None
    #: CPU seconds per stage (kernel start, cells, checks) as [grader process, student's kernel].
    cpu_seconds: dict[str, list[float]] = field(default_factory=dict)

    def path(self, records_dir: Path) -> Path:
        """Where this record is kept."""
        return record_path(records_dir, self.assignment, self.student)

    def save(self, records_dir: Path) -> Path:
        """Write the record (replacing an earlier grading of the same submission)."""
        path = self.path(records_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1))
        return path


def load(records_dir: Path, assignment: str, student: str) -> GradingRecord | None:
    """The record of one submission, if it was graded by the trusted grader."""
    path = record_path(records_dir, assignment, student)
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    cells = {grade_id: CellRecord(**cell) for grade_id, cell in data.pop("cells").items()}
    return GradingRecord(cells=cells, **data)


#: The file beside a student's record with what the download said about the submission graded
#: (see :class:`UploadNotes`).
UPLOAD_NOTES = ".upload.json"


@dataclass
class UploadNotes:
    """What an LMS download said about a student's graded upload, for the report and the feedback."""

    #: The LMS that marked the upload late without a time (Canvas's ``LATE``), if one did.
    late_mark: str | None = None
    #: Why the choice among several uploads needs a person (the download cannot order them), if it does.
    which_upload: str | None = None

    def save(self, records_dir: Path, assignment: str, student: str) -> None:
        """Keep these notes beside the student's record (none: remove what an earlier run kept)."""
        path = record_path(records_dir, assignment, student, UPLOAD_NOTES)
        if self == UploadNotes():
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self)))


def upload_notes(records_dir: Path, assignment: str, student: str) -> UploadNotes:
    """The notes kept on a student's graded upload (empty when there are none)."""
    path = record_path(records_dir, assignment, student, UPLOAD_NOTES)
    return UploadNotes(**json.loads(path.read_text())) if path.is_file() else UploadNotes()


def records_dir_for(db_url: str) -> Path:
    """The records folder next to an SQLite gradebook."""
    return Path(db_url.removeprefix("sqlite:///")).resolve().parent / RECORDS_DIRNAME

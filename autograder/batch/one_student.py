"""One student's grading in a course copy, and its way into the grading folder: what the local
pool (:mod:`autograder.batch.pool`) and the Dask cluster (:mod:`autograder.batch.cluster`) share.

A worker (a pool's process in its shard course, a Dask worker in its scratch course) puts the
student's notebook in its place (:func:`place`), autogrades it there (:func:`grade_in`) and hands a
:class:`Graded` back as plain data; the one process that writes to the course's gradebook stores it
(:func:`keep`) and counts what it cost in the :class:`Batch`. A submission stored with its feedback
is marked with its SHA-256 (:func:`mark_graded`), so that a run grades again only what changed.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from sqlalchemy.exc import SQLAlchemyError
from traitlets.config import Config

from autograder import course
from autograder.batch import submissions
from autograder.grading import records
from autograder.grading.records import RECORDS_DIRNAME, record_path
from autograder.grading.records import load as load_record


@dataclass
class Graded:
    """What a worker found for one student, as plain data for the parent to store."""

    assignment: str
    student: str
    shard: str = ""
    grades: dict[str, tuple[float | None, bool]] = field(default_factory=dict)
    comments: dict[str, str | None] = field(default_factory=dict)
    flagged: bool = False
    error: str | None = None
    #: When the student submitted (nbgrader's ``timestamp.txt``, if any), and the points nbgrader's
    #: late-submission plugin took off for it.
    timestamp: datetime | None = None
    late_penalty: float | None = None
    #: The student's files by path in the course (autograded notebook, grading record, feedback),
    #: when they come from another machine (:mod:`autograder.batch.cluster`); else they are in ``shard``.
    files: dict[str, bytes] = field(default_factory=dict)
    #: This worker's CPU seconds for the student outside the trusted step's stages: nbgrader's own
    #: steps of autograde, and the feedback when it was written for this student alone.
    cpu_seconds: dict[str, float] = field(default_factory=dict)


def submission_path(course_root: Path, assignment: str, student: str) -> Path:
    """Where nbgrader expects a student's notebook: ``submitted/<student>/<assignment>/<assignment>.ipynb``."""
    return course_root / "submitted" / student / assignment / f"{assignment}.ipynb"


def beside(notebook: Path) -> dict[str, bytes]:
    """nbgrader's files next to a notebook in its place (:data:`submissions.NBGRADER_FILES`), by name."""
    paths = {name: notebook.with_name(name) for name in submissions.NBGRADER_FILES}
    return {name: path.read_bytes() for name, path in paths.items() if path.is_file()}


def place(
    root: Path,
    assignment: str,
    student: str,
    notebook: bytes,
    files: Mapping[str, bytes],
    notes: records.UploadNotes | None = None,
) -> None:
    """Put a student's notebook (the file's bytes) where nbgrader expects it in the course at ``root``,
    with nbgrader's ``files`` beside it (by name; any other of those names is removed) and, when
    given, what the LMS's download said of the upload (``notes``, such as Canvas's late mark) beside
    the student's record, where the feedback page finds it (an earlier student's notes replaced)."""
    target = submission_path(root, assignment, student)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(notebook)
    for name in submissions.NBGRADER_FILES:
        target.with_name(name).unlink(missing_ok=True)
        if name in files:
            target.with_name(name).write_bytes(files[name])
    if notes is not None:
        notes.save(root / RECORDS_DIRNAME, assignment, student)


def grade_in(root: Path, api: NbGraderAPI, assignment: str, student: str) -> Graded:
    """Autograde one student, whose notebook is in its place (:func:`submission_path`), in the course
    at ``root`` (the assignment generated there) and read back what nbgrader stored."""
    started = time.process_time()
    result = api.autograde(assignment, student, force=True, create=True)
    if not result.get("success"):
        return Graded(assignment, student, error=f"nbgrader autograde failed: {course.failure_reason(result)}")
    graded = Graded(assignment, student, str(root))
    record = load_record(root / RECORDS_DIRNAME, assignment, student)
    trusted = sum(grader for grader, _ in record.cpu_seconds.values()) if record else 0.0
    graded.cpu_seconds["nbgrader steps"] = round(time.process_time() - started - trusted, 4)
    with Gradebook(course.gradebook_url(root)) as gradebook:
        submission = gradebook.find_submission_notebook(assignment, assignment, student)
        graded.grades = {grade.name: (grade.auto_score, grade.needs_manual_grade) for grade in submission.grades}
        graded.comments = {comment.name: comment.auto_comment for comment in submission.comments}
        graded.flagged = bool(submission.flagged)
        graded.timestamp, graded.late_penalty = submission.assignment.timestamp, submission.late_submission_penalty
    return graded


def student_files(root: Path, assignment: str, student: str) -> dict[str, bytes]:
    """A student's autograded notebook, grading record and feedback in the course at ``root``, by
    path in the course."""
    folders = [root / "autograded" / student, root / "feedback" / student]
    paths = [path for folder in folders if folder.is_dir() for path in folder.rglob("*") if path.is_file()]
    record = record_path(root / RECORDS_DIRNAME, assignment, student)
    return {str(path.relative_to(root)): path.read_bytes() for path in [*paths, record] if path.is_file()}


def store(workdir: Path, graded: Graded) -> None:
    """Write one worker's result into the main gradebook, and its notebook and record (and its
    feedback, when it came as files) next to it (parent only)."""
    with Gradebook(course.gradebook_url(workdir)) as gradebook:
        gradebook.update_or_create_student(graded.student)
        gradebook.update_or_create_submission(graded.assignment, graded.student, timestamp=graded.timestamp)
        submission = gradebook.find_submission_notebook(graded.assignment, graded.assignment, graded.student)
        submission.late_submission_penalty = graded.late_penalty
        for grade in submission.grades:
            grade.auto_score, grade.needs_manual_grade = graded.grades[grade.name]
        for comment in submission.comments:
            comment.auto_comment = graded.comments[comment.name]
        submission.flagged = graded.flagged
        gradebook.db.commit()
    for name, content in graded.files.items():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_bytes(content)
    if graded.files:
        return
    shard = Path(graded.shard)
    shutil.copytree(shard / "autograded" / graded.student, workdir / "autograded" / graded.student, dirs_exist_ok=True)
    record = record_path(shard / RECORDS_DIRNAME, graded.assignment, graded.student)
    if record.exists():
        kept = record_path(workdir / RECORDS_DIRNAME, graded.assignment, graded.student)
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(record, kept)


def _fingerprint(workdir: Path, assignment: str, student: str) -> Path:
    return record_path(workdir / RECORDS_DIRNAME, assignment, student, ".sha256")


def already_graded(workdir: Path, assignment: str, student: str, digest: str) -> bool:
    """Whether the submission with this SHA-256 was graded and stored in this course folder before."""
    marker = _fingerprint(workdir, assignment, student)
    return marker.exists() and marker.read_text() == digest


def mark_graded(workdir: Path, assignment: str, student: str, digest: str) -> None:
    """Note that the submission with this SHA-256 is graded and stored, with its feedback (see
    :func:`already_graded`)."""
    _fingerprint(workdir, assignment, student).write_text(digest)


def prepare_submissions(workdir: Path, assignment: str, files: Mapping[str, Path]) -> dict[str, str]:
    """Copy each student's notebook file where nbgrader expects it in the course at ``workdir``; the
    SHA-256 of each student's notebook not graded there yet, by student."""
    todo = {}
    for student, source in files.items():
        notebook = source.read_bytes()
        kept = {name: path.read_bytes() for name, path in submissions.companions(source).items()}
        place(workdir, assignment, student, notebook, kept)
        # the notebook's bytes, then nbgrader's files (a new submission time is a new submission)
        digest = hashlib.sha256(
            notebook + b"".join(b"\0" + name.encode() + b"\0" + kept[name] for name in sorted(kept))
        )
        digest = digest.hexdigest()
        if not already_graded(workdir, assignment, student, digest):
            todo[student] = digest
    return todo


@dataclass
class Batch:
    """The outcome of one batch: students skipped as already graded, failures by student, and the
    CPU seconds of the students graded, by stage (summed over the processes that took part)."""

    skipped: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    #: The most resident memory a grading process held while grading one of these students, in MiB.
    worker_peak_mib: float = 0.0

    def spent(self, stage: str, seconds: float) -> None:
        """Count ``seconds`` of CPU time for ``stage``."""
        self.cpu_seconds[stage] = round(self.cpu_seconds.get(stage, 0.0) + seconds, 4)


def keep(workdir: Path, graded: Graded, batch: Batch) -> bool:
    """Store a worker's result in the course at ``workdir`` (the parent's only) and count what it
    cost, or note why there is none; whether it was stored."""
    if graded.error:
        batch.failures[graded.student] = graded.error
        return False
    started = time.process_time()
    try:
        store(workdir, graded)
    except (OSError, SQLAlchemyError) as error:  # this student's only: the others are stored
        batch.failures[graded.student] = f"could not be stored in {workdir} ({error}); grade again to retry"
        return False
    batch.spent("gradebook", time.process_time() - started)
    count_cost(workdir, graded, batch)
    return True


def count_cost(workdir: Path, graded: Graded, batch: Batch) -> None:
    """Count what grading a student cost, from the worker's figures and the grading record."""
    for stage, seconds in graded.cpu_seconds.items():
        batch.spent(stage, seconds)
    record = load_record(workdir / RECORDS_DIRNAME, graded.assignment, graded.student)
    for stage, (grader, kernel) in (record.cpu_seconds if record else {}).items():
        batch.spent(stage, grader + kernel)
    batch.worker_peak_mib = max(batch.worker_peak_mib, (record.grader_peak_mib or 0.0) if record else 0.0)


def with_jails_dir(overrides: Config | None, jails: Path) -> Config:
    """The run's nbgrader settings with the kernels' jails in ``jails``."""
    config = Config()
    if overrides is not None:
        config.merge(overrides)
    config.JailedKernelManager.jails_dir = str(jails)
    return config


def no_feedback(reason: str) -> str:
    """What a student without feedback HTML is reported with."""
    return f"no feedback HTML (nbgrader generate_feedback: {reason}); grade again to retry"


def feedback_page(root: Path, assignment: str, student: str) -> Path:
    """Where ``generate_feedback`` writes a student's page in the course at ``root``. nbgrader makes
    the student's folder before it renders the page, and goes on to the next student when the
    page fails: only the page itself says that the feedback was written."""
    return root / "feedback" / student / assignment / f"{assignment}.html"

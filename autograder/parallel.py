"""Grading students in parallel: one worker process per core, each with its own shard course.

nbgrader grades one submission after another and its SQLite gradebook is not made for
concurrent writers. Here each worker autogrades in a private copy of the course (its own
gradebook), and only the parent process writes into the main gradebook, one student at a
time, copying the autograded notebook and the grading record next to it. Once every student
is graded, each shard's feedback HTML is written by one ``generate_feedback`` call (much
cheaper per student than one call each) and copied over. A student whose submission was
already graded and given feedback in this course folder (same bytes) is skipped, so an
interrupted run resumes where it stopped.

A worker that dies (the kernel's out-of-memory killer, a signal) breaks the pool: the students
that had not started are graded by a fresh pool, and the ones it was grading are graded again
one at a time, so that only a submission whose grading kills its worker a second time is
reported (as not graded, with the reason), and every other student is graded.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm
from traitlets.config import Config

from autograder import course, gradebook_engine, submissions
from autograder.records import RECORDS_DIRNAME, record_path
from autograder.records import load as load_record
from autograder.sandbox import cgroup, jail

#: Pools in a row whose workers may die before grading anyone, before their students are given up.
MAX_IDLE_POOLS = 3
#: Folder of a shard where its worker notes each student it starts grading.
STARTED = "started"
#: Set while the workers start: one BLAS thread per worker.
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


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
    #: when they come from another machine (:mod:`autograder.cluster`); else they are in ``shard``.
    files: dict[str, bytes] = field(default_factory=dict)
    #: This worker's CPU seconds for the student outside the trusted step's stages: nbgrader's own
    #: steps of autograde, and the feedback when it was written for this student alone.
    cpu_seconds: dict[str, float] = field(default_factory=dict)


_worker: tuple[Path, NbGraderAPI] | None = None


def _start_worker(shards: multiprocessing.Queue, overrides: Config | None) -> None:
    """Wait for this worker's shard course (the parent prepares them while workers start); an empty
    name means the course could not be prepared. The initializer never raises: a pool whose
    initializer fails is broken, and on some Python versions (3.11.2, Debian 12's) shutting it
    down then hangs."""
    global _worker
    shard = shards.get()
    _worker = (Path(shard), course.api_for(Path(shard), overrides)) if shard else None
    if shard:
        gradebook_engine.keep(course.gradebook_url(Path(shard)), scratch=True)  # lives as long as this worker


def submission_path(course_root: Path, assignment: str, student: str) -> Path:
    """Where nbgrader expects a student's notebook: ``submitted/<student>/<assignment>/<assignment>.ipynb``."""
    return course_root / "submitted" / student / assignment / f"{assignment}.ipynb"


def _grade_in_shard(assignment: str, student: str, submitted: str) -> Graded:
    """Autograde one student in this worker's shard course, from their notebook at ``submitted``
    (in the parent's course)."""
    if _worker is None:
        raise RuntimeError("the course could not be prepared for grading")
    shard, api = _worker
    (shard / STARTED).mkdir(exist_ok=True)
    (shard / STARTED / student).touch()  # for the parent, should this worker die
    place(shard, assignment, student, Path(submitted).read_bytes(), beside(Path(submitted)))
    return grade_in(shard, api, assignment, student)


def beside(notebook: Path) -> dict[str, bytes]:
    """nbgrader's files next to a notebook in its place (:data:`submissions.NBGRADER_FILES`), by name."""
    paths = {name: notebook.with_name(name) for name in submissions.NBGRADER_FILES}
    return {name: path.read_bytes() for name, path in paths.items() if path.is_file()}


def place(root: Path, assignment: str, student: str, notebook: bytes, files: Mapping[str, bytes]) -> None:
    """Put a student's notebook (the file's bytes) where nbgrader expects it in the course at ``root``,
    with nbgrader's ``files`` beside it (by name; any other of those names is removed)."""
    target = submission_path(root, assignment, student)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(notebook)
    for name in submissions.NBGRADER_FILES:
        target.with_name(name).unlink(missing_ok=True)
        if name in files:
            target.with_name(name).write_bytes(files[name])


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


def _feedback_in_shard(shard: str, assignment: str, overrides: Config | None) -> tuple[str | None, float]:
    """``generate_feedback`` for every student autograded in a shard: None or why it failed, and
    the CPU seconds it took."""
    started = time.process_time()
    result = course.api_for(Path(shard), overrides).generate_feedback(assignment)
    return (None if result.get("success") else course.failure_reason(result)), time.process_time() - started


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


def _shards(workdir: Path, count: int, generation: int) -> Iterator[Path]:
    """Private copies of the course (source/ and the gradebook with the assignment) for the
    workers of one pool (``generation``: how many pools this batch had before)."""
    for index in range(count):
        shard = workdir / ".shards" / f"{generation}-{index}"
        shutil.rmtree(shard, ignore_errors=True)
        shard.mkdir(parents=True)
        shutil.copytree(workdir / "source", shard / "source")
        shutil.copy(workdir / "gradebook.db", shard / "gradebook.db")
        yield shard


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
    _count(workdir, graded, batch)
    return True


def _count(workdir: Path, graded: Graded, batch: Batch) -> None:
    """Count what grading a student cost, from the worker's figures and the grading record."""
    for stage, seconds in graded.cpu_seconds.items():
        batch.spent(stage, seconds)
    record = load_record(workdir / RECORDS_DIRNAME, graded.assignment, graded.student)
    for stage, (grader, kernel) in (record.cpu_seconds if record else {}).items():
        batch.spent(stage, grader + kernel)
    batch.worker_peak_mib = max(batch.worker_peak_mib, (record.grader_peak_mib or 0.0) if record else 0.0)


def _write_feedback(
    pool: ProcessPoolExecutor, shards: list[Path], assignment: str, overrides: Config | None, batch: Batch
) -> dict[Path, str]:
    """Feedback HTML in every shard, one shard per worker at a time; failures by shard."""
    futures = {pool.submit(_feedback_in_shard, str(shard), assignment, overrides): shard for shard in shards}
    problems = {}
    for future in tqdm(as_completed(futures), total=len(futures), desc="feedback", unit="shard"):
        try:
            problem, seconds = future.result()
            batch.spent("feedback", seconds)
        except Exception as error:
            problem = f"{type(error).__name__}: {error}"
        if problem:
            problems[futures[future]] = problem
    return problems


@contextmanager
def _worker_environment() -> Iterator[None]:
    """Environment for starting workers: one BLAS thread each (their matrices are tiny, and idle
    BLAS threads would spin on the cores the other workers and the kernels need)."""
    saved = dict(os.environ)
    os.environ.update(WORKER_ENV)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def with_jails_dir(overrides: Config | None, jails: Path) -> Config:
    """The run's nbgrader settings with the kernels' jails in ``jails``."""
    config = Config()
    if overrides is not None:
        config.merge(overrides)
    config.JailedKernelManager.jails_dir = str(jails)
    return config


class _Workers:
    """A pool of grading workers, each with a shard course of its own, replaced when one dies."""

    def __init__(self, workdir: Path, jobs: int, overrides: Config | None) -> None:
        self.workdir, self.overrides, self.generation = workdir, overrides, -1
        self._start(jobs)

    def _start(self, jobs: int) -> None:
        self.generation += 1
        self.jobs = jobs
        context = multiprocessing.get_context("spawn")
        self.queue = context.Queue()
        self.pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start_worker, initargs=(self.queue, self.overrides)
        )

    def submit(self, assignment: str, student: str) -> Future:
        """Grade one student, whose notebook is in its place in the parent's course (the workers
        start with one BLAS thread each)."""
        submitted = str(submission_path(self.workdir, assignment, student))
        with _worker_environment():
            return self.pool.submit(_grade_in_shard, assignment, student, submitted)

    def give_shards(self) -> None:
        """Prepare each worker's shard course (once the assignment is generated) and hand it over."""
        for shard in _shards(self.workdir, self.jobs, self.generation):
            self.queue.put(str(shard))

    def refuse(self) -> None:
        """Tell every waiting worker that the course could not be prepared."""
        for _ in range(self.jobs):
            self.queue.put("")

    def started(self, student: str) -> bool:
        """Whether a worker of the current pool began grading ``student``."""
        shards = (self.workdir / ".shards").glob(f"{self.generation}-*")
        return any((shard / STARTED / student).exists() for shard in shards)

    def replace(self, jobs: int) -> None:
        """A fresh pool (with fresh shards) in place of a broken one."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        self._start(jobs)
        self.give_shards()

    def close(self) -> None:
        """Stop the workers."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _collect(
    workers: _Workers, assignment: str, futures: dict[Future, str], on_result: Callable[[Graded], None], progress: tqdm
) -> tuple[list[str], list[str]]:
    """Hand every result to ``on_result``; return the students lost to a dead worker: those it had
    not started, and those it was grading."""
    not_started, interrupted = [], []
    for future in as_completed(futures):
        student = futures[future]
        try:
            graded = future.result()
        except BrokenProcessPool:
            (interrupted if workers.started(student) else not_started).append(student)
            continue
        except Exception as error:
            graded = Graded(assignment, student, error=f"grading failed: {type(error).__name__}: {error}")
        on_result(graded)
        progress.update()
    return not_started, interrupted


def no_feedback(reason: str) -> str:
    """What a student without feedback HTML is reported with."""
    return f"no feedback HTML (nbgrader generate_feedback: {reason}); grade again to retry"


def feedback_page(root: Path, assignment: str, student: str) -> Path:
    """Where ``generate_feedback`` writes a student's page in the course at ``root``. nbgrader makes
    the student's folder before it renders the page, and goes on to the next student when the
    page fails: only the page itself says that the feedback was written."""
    return root / "feedback" / student / assignment / f"{assignment}.html"


def grade_here(
    workdir: Path,
    assignment: str,
    files: Mapping[str, Path],
    overrides: Config | None = None,
    generate: bool = True,
) -> Batch:
    """Generate the assignment in the course at ``workdir`` (unless ``generate`` is false: it is
    there) and autograde every student in this process, one after another, without feedback HTML:
    for one submission in a container of its own (Gradescope's), where starting a worker would take
    longer than grading. A grading process that dies takes the run with it here; the caller must
    answer for that."""
    prepare_submissions(workdir, assignment, files)
    batch = Batch()
    jails = Path(tempfile.mkdtemp(prefix="autograder-jails-"))
    jails.chmod(0o755)
    api = course.api_for(workdir, with_jails_dir(overrides, jails))
    gradebook_engine.keep(course.gradebook_url(workdir))
    try:
        if generate:
            course.generate_assignment(api, assignment)
        for student in files:
            graded = grade_in(workdir, api, assignment, student)
            if graded.error:
                batch.failures[student] = graded.error
                continue
            _count(workdir, graded, batch)
    finally:
        gradebook_engine.release(course.gradebook_url(workdir))
        jail.release_mounts(jails)
        shutil.rmtree(jails, ignore_errors=True)
    return batch


def grade_all(
    workdir: Path, assignment: str, files: Mapping[str, Path], jobs: int, overrides: Config | None = None
) -> Batch:
    """Generate the assignment in the course at ``workdir`` and autograde every student not
    graded there yet (their notebook files: see :func:`prepare_submissions`), ``jobs`` at a time.
    The workers start (and import nbgrader) while this process runs ``generate_assignment``."""
    todo = prepare_submissions(workdir, assignment, files)
    batch = Batch(skipped=[student for student in files if student not in todo])
    if not todo:
        course.generate_assignment(course.api_for(workdir, overrides), assignment)
        return batch
    jobs = max(1, min(jobs, len(todo)))
    stored: dict[str, Path] = {}
    # The workers' jails go into one folder of this run, removed at the end: a worker that is
    # killed cannot remove its own. It is traversable by all, as each jail is (user isolation).
    jails = Path(tempfile.mkdtemp(prefix="autograder-jails-"))
    jails.chmod(0o755)
    overrides = with_jails_dir(overrides, jails)

    def keep_stored(graded: Graded) -> None:
        if keep(workdir, graded, batch):
            stored[graded.student] = Path(graded.shard)

    def submit(students: list[str]) -> dict[Future, str]:
        return {workers.submit(assignment, student): student for student in students}

    workers = _Workers(workdir, jobs, overrides)
    gradebook_engine.keep(course.gradebook_url(workdir))
    try:
        futures = submit(todo)
        try:
            course.generate_assignment(course.api_for(workdir, overrides), assignment)
        except BaseException:
            for future in futures:
                future.cancel()
            workers.refuse()
            raise
        workers.give_shards()
        interrupted: list[str] = []
        with tqdm(total=len(todo), desc="grading", unit="student", smoothing=0.1) as progress:
            idle_pools = 0  # pools in a row whose workers died before grading anyone
            while futures:
                graded_before = progress.n
                not_started, lost = _collect(workers, assignment, futures, keep_stored, progress)
                interrupted += lost
                idle_pools = idle_pools + 1 if progress.n == graded_before and not lost else 0
                futures = {}
                if not (not_started or lost):
                    break
                workers.replace(jobs)  # the pool is broken: a broken pool is never used again
                if idle_pools < MAX_IDLE_POOLS:
                    futures = submit(not_started)
                    continue
                for student in not_started:  # the workers die at start: give up rather than loop
                    batch.failures[student] = "the grading workers died before grading anyone; grade again to retry"
                    progress.update()
            for student in interrupted:  # alone, so that a second death names its submission
                workers.replace(1)
                not_started, lost = _collect(workers, assignment, submit([student]), keep_stored, progress)
                if not_started or lost:
                    batch.failures[student] = (
                        "the grading process died twice while grading this submission (out of memory?);"
                        " the other students were graded"
                    )
                    progress.update()
                    workers.replace(jobs)  # a dead pool is never used again (feedback comes next)
        problems = _write_feedback(workers.pool, sorted(set(stored.values())), assignment, overrides, batch)
    finally:
        gradebook_engine.release(course.gradebook_url(workdir))
        workers.close()
        jail.release_mounts(jails)
        shutil.rmtree(jails, ignore_errors=True)
        cgroup.remove_orphans()  # those of workers that were killed
    for student, shard in stored.items():
        if not feedback_page(shard, assignment, student).is_file():
            batch.failures[student] = no_feedback(problems.get(shard, "no feedback file was written"))
            continue
        try:
            shutil.copytree(shard / "feedback" / student, workdir / "feedback" / student, dirs_exist_ok=True)
        except OSError as error:
            batch.failures[student] = f"its feedback could not be written in {workdir} ({error}); grade again to retry"
            continue
        mark_graded(workdir, assignment, student, todo[student])
    shutil.rmtree(workdir / ".shards", ignore_errors=True)
    return batch

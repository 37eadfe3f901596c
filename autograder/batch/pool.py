"""Grading students in parallel: one worker process per core, each with its own shard course.

nbgrader grades one submission after another and its SQLite gradebook is not made for
concurrent writers. Here each worker autogrades in a private copy of the course (its own
gradebook), and only the parent process writes into the main gradebook, one student at a
time, copying the autograded notebook and the grading record next to it. Once every student
is graded, each shard's feedback HTML is written by one ``generate_feedback`` call (much
cheaper per student than one call each) and copied over. A student whose submission was
already graded and given feedback in this course folder (same bytes) is skipped, so an
interrupted run resumes where it stopped.

Each worker grades a student as :mod:`autograder.batch.one_student` says (the Dask cluster does
the same on other machines). A worker that dies (the kernel's out-of-memory killer, a signal)
breaks the pool: the students that had not started are graded by a fresh pool, and the ones it
was grading are graded again one at a time, so that only a submission whose grading kills its
worker a second time is reported (as not graded, with the reason), and every other student is
graded.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from tqdm import tqdm
from traitlets.config import Config

from autograder import course
from autograder.batch import one_student
from autograder.grading import records
from autograder.patches import gradebook_engine
from autograder.sandbox import cgroup, jail, warm

#: Pools in a row whose workers may die before grading anyone, before their students are given up.
MAX_IDLE_POOLS = 3
#: Folder of a shard where its worker notes each student it starts grading.
STARTED = "started"
#: Set while the workers start: one BLAS thread per worker.
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

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


def _grade_in_shard(assignment: str, student: str, submitted: str) -> one_student.Graded:
    """Autograde one student in this worker's shard course, from their notebook at ``submitted``
    (in the parent's course)."""
    if _worker is None:
        raise RuntimeError("the course could not be prepared for grading")
    shard, api = _worker
    (shard / STARTED).mkdir(exist_ok=True)
    (shard / STARTED / student).touch()  # for the parent, should this worker die
    submitted_in = Path(submitted)  # submitted/<student>/<assignment>/ of the parent's course
    notes = records.upload_notes(submitted_in.parents[3] / records.RECORDS_DIRNAME, assignment, student)
    one_student.place(shard, assignment, student, submitted_in.read_bytes(), one_student.beside(submitted_in), notes)
    return one_student.grade_in(shard, api, assignment, student)


def _feedback_in_shard(shard: str, assignment: str, overrides: Config | None) -> tuple[str | None, float]:
    """``generate_feedback`` for every student autograded in a shard: None or why it failed, and
    the CPU seconds it took."""
    started = time.process_time()
    result = course.api_for(Path(shard), overrides).generate_feedback(assignment)
    return (None if result.get("success") else course.failure_reason(result)), time.process_time() - started


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


def _write_feedback(
    pool: ProcessPoolExecutor, shards: list[Path], assignment: str, overrides: Config | None, batch: one_student.Batch
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
        """Grade one student, whose notebook is in its one_student.place in the parent's course (the workers
        start with one BLAS thread each)."""
        submitted = str(one_student.submission_path(self.workdir, assignment, student))
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
        """A fresh pool (with fresh shards) in one_student.place of a broken one."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        self._start(jobs)
        self.give_shards()

    def close(self) -> None:
        """Stop the workers."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _collect(
    workers: _Workers,
    assignment: str,
    futures: dict[Future, str],
    on_result: Callable[[one_student.Graded], None],
    progress: tqdm,
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
            graded = one_student.Graded(assignment, student, error=f"grading failed: {type(error).__name__}: {error}")
        on_result(graded)
        progress.update()
    return not_started, interrupted


def grade_here(
    workdir: Path,
    assignment: str,
    files: Mapping[str, Path],
    overrides: Config | None = None,
    generate: bool = True,
) -> one_student.Batch:
    """Generate the assignment in the course at ``workdir`` (unless ``generate`` is false: it is
    there) and autograde every student in this process, one after another, without feedback HTML:
    for one submission in a container of its own (Gradescope's), where starting a worker would take
    longer than grading. A grading process that dies takes the run with it here; the caller must
    answer for that."""
    one_student.prepare_submissions(workdir, assignment, files)
    batch = one_student.Batch()
    jails = Path(tempfile.mkdtemp(prefix="autograder-jails-"))
    jails.chmod(0o755)
    api = course.api_for(workdir, one_student.with_jails_dir(overrides, jails))
    gradebook_engine.keep(course.gradebook_url(workdir))
    try:
        if generate:
            course.generate_assignment(api, assignment)
        for student in files:
            graded = one_student.grade_in(workdir, api, assignment, student)
            if graded.error:
                batch.failures[student] = graded.error
                continue
            one_student.count_cost(workdir, graded, batch)
    finally:
        gradebook_engine.release(course.gradebook_url(workdir))
        warm.close_templates()  # their spools are in this run's jails folder
        jail.release_mounts(jails)
        shutil.rmtree(jails, ignore_errors=True)
    return batch


def grade_all(
    workdir: Path, assignment: str, files: Mapping[str, Path], jobs: int, overrides: Config | None = None
) -> one_student.Batch:
    """Generate the assignment in the course at ``workdir`` and autograde every student not
    graded there yet (their notebook files: see :func:`prepare_submissions`), ``jobs`` at a time.
    The workers start (and import nbgrader) while this process runs ``generate_assignment``."""
    todo = one_student.prepare_submissions(workdir, assignment, files)
    batch = one_student.Batch(skipped=[student for student in files if student not in todo])
    if not todo:
        course.generate_assignment(course.api_for(workdir, overrides), assignment)
        return batch
    jobs = max(1, min(jobs, len(todo)))
    stored: dict[str, Path] = {}
    # The workers' jails go into one folder of this run, removed at the end: a worker that is
    # killed cannot remove its own. It is traversable by all, as each jail is (user isolation).
    jails = Path(tempfile.mkdtemp(prefix="autograder-jails-"))
    jails.chmod(0o755)
    overrides = one_student.with_jails_dir(overrides, jails)

    def keep_stored(graded: one_student.Graded) -> None:
        if one_student.keep(workdir, graded, batch):
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
        if not one_student.feedback_page(shard, assignment, student).is_file():
            batch.failures[student] = one_student.no_feedback(problems.get(shard, "no feedback file was written"))
            continue
        try:
            shutil.copytree(shard / "feedback" / student, workdir / "feedback" / student, dirs_exist_ok=True)
        except OSError as error:
            batch.failures[student] = f"its feedback could not be written in {workdir} ({error}); grade again to retry"
            continue
        one_student.mark_graded(workdir, assignment, student, todo[student])
    shutil.rmtree(workdir / ".shards", ignore_errors=True)
    return batch

"""Grading on a Dask distributed cluster: ``python -m autograder grade ... --scheduler ADDRESS``.

Each student is one task. A worker grades it in a scratch course of its own, made once per worker
process from the worker's copy of the course repository (the task carries a fingerprint of the
client's copy, and a worker whose copy differs refuses it), with the student's kernel in the jail
as on one machine. The task sends back plain data: the grades, comments and flag that nbgrader
stored, and the files of the autograded notebook, the grading record and the feedback HTML. Only
the client writes the course gradebook, the feedback folder, ``grades.csv`` and the report, so
nothing is lost to concurrent writers.

Dask gives a task whose worker died to another worker; a submission that kills
``distributed.scheduler.allowed-failures`` + 1 workers (4 by default) is reported as not graded,
with the reason, and the others are graded. Students already graded in this course folder (same
bytes) are skipped, as on one machine, so an interrupted run resumes. At the end each worker
removes its scratch courses.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from distributed import Client, Future, as_completed
from distributed.scheduler import KilledWorker
from tqdm import tqdm
from traitlets.config import Config

from autograder import course
from autograder.batch import one_student
from autograder.grading import records
from autograder.grading.notebooks import COURSE_ROOT
from autograder.patches import gradebook_engine
from autograder.sandbox import cgroup, jail, warm

#: This worker process's scratch course of each assignment, by assignment id.
_courses: dict[str, Path] = {}
#: A scratch course's folder name: this prefix, then the worker's process id.
SCRATCH_PREFIX = "autograder-worker-"
#: The fewest students sent to the cluster ahead of their results (see :func:`_ahead`).
MIN_AHEAD = 64


def fingerprint(assignment: str) -> str:
    """One hash of what the client's and the workers' copies of the course must share for an
    assignment: its source folder, the engine with every assignment's hidden side, and the
    course's nbgrader settings."""
    digest = hashlib.sha256()
    folders = (COURSE_ROOT / "source" / assignment, COURSE_ROOT / "autograder")
    files = [path for folder in folders for path in folder.rglob("*") if path.is_file()]
    for path in sorted([*files, COURSE_ROOT / "nbgrader_config.py"]):
        if "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(COURSE_ROOT)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _settings(root: Path, overrides: Config | None) -> Config:
    """The run's nbgrader settings, with the kernels' jails in the scratch course's own folder."""
    return one_student.with_jails_dir(overrides, root / "jails")


def _scratch_course(assignment: str, overrides: Config | None) -> Path:
    """This worker's scratch course for ``assignment``, made (and the assignment generated) once."""
    if assignment not in _courses:
        root = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-{assignment}-"))
        root.chmod(0o755)  # the jails in it must be traversable by all (user isolation)
        (root / "jails").mkdir(mode=0o755)
        course.copy_course(root)
        gradebook_engine.keep(course.gradebook_url(root), scratch=True)  # until forget_courses
        course.generate_assignment(course.api_for(root, _settings(root, overrides)), assignment)
        _courses[assignment] = root
    return _courses[assignment]


def grade_student(
    assignment: str,
    student: str,
    notebook: bytes,
    expected: str,
    overrides: Config | None = None,
    files: Mapping[str, bytes] | None = None,
    due: datetime | None = None,
    notes: records.UploadNotes | None = None,
) -> one_student.Graded:
    """One task: grade one student (``notebook``: their file's bytes; ``files``: nbgrader's files
    beside it, by name; ``due``: the assignment's due date in the client's gradebook; ``notes``:
    what the LMS's download said of the upload, for the feedback) on this worker, with feedback,
    and return what the client stores."""
    if fingerprint(assignment) != expected:
        reason = f"the worker's copy of the course ({COURSE_ROOT}) differs from the client's: update it and restart it"
        return one_student.Graded(assignment, student, error=reason)
    root = _scratch_course(assignment, overrides)
    api = course.api_for(root, _settings(root, overrides))
    try:
        course.set_due_date(root, assignment, due)
        one_student.place(root, assignment, student, notebook, files or {}, notes or records.UploadNotes())
        graded = one_student.grade_in(root, api, assignment, student)
        if graded.error:
            return graded
        started = time.process_time()
        result = api.generate_feedback(assignment, student)
        graded.cpu_seconds["feedback"] = round(time.process_time() - started, 4)
        if not result.get("success") or not one_student.feedback_page(root, assignment, student).is_file():
            graded.error = one_student.no_feedback(course.failure_reason(result))
            return graded
        graded.files, graded.shard = one_student.student_files(root, assignment, student), ""
        return graded
    finally:
        for folder in ("submitted", "autograded", "feedback"):
            shutil.rmtree(root / folder / student, ignore_errors=True)


def forget_courses() -> int:
    """Remove this worker's scratch courses, and those of workers on this machine that died (their
    process is gone), with their jails' mounts and control groups; how many."""
    mine = set(_courses.values())
    _courses.clear()
    warm.close_templates()  # their spools are in the scratch courses' jails folders
    gradebook_engine.release()
    gone = [
        folder
        for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*")
        if folder.name.removeprefix(SCRATCH_PREFIX).split("-")[0].isdigit()
        and cgroup.process_gone(int(folder.name.removeprefix(SCRATCH_PREFIX).split("-")[0]))
    ]
    for root in [*mine, *gone]:
        jail.release_mounts(root)
        shutil.rmtree(root, ignore_errors=True)
    cgroup.remove_orphans()
    return len(mine) + len(gone)


def grade_all(
    workdir: Path,
    assignment: str,
    files: Mapping[str, Path],
    scheduler: str | object,
    overrides: Config | None = None,
) -> one_student.Batch:
    """Generate the assignment in the course at ``workdir`` and grade every student not graded there
    yet (their notebook files: see :func:`one_student.prepare_submissions`) on the cluster whose
    scheduler is at ``scheduler`` (an address, or a cluster object such as dask-gateway's, which
    carries its credentials), one task per student; store the results. A task carries its
    student's notebook, so only so many are sent ahead of their results (:func:`_ahead`)."""
    todo = one_student.prepare_submissions(workdir, assignment, files)
    batch = one_student.Batch(skipped=[student for student in files if student not in todo])
    course.generate_assignment(course.api_for(workdir, overrides), assignment)
    if not todo:
        return batch
    expected, run, waiting = fingerprint(assignment), secrets.token_hex(4), iter(todo)
    due = course.due_date(workdir, assignment)
    with Client(scheduler, timeout="30s") as client:

        def submit(student: str) -> Future:
            path = one_student.submission_path(workdir, assignment, student)
            notebook, files = path.read_bytes(), one_student.beside(path)
            key = f"{assignment}-{run}-{student}"
            notes = records.upload_notes(workdir / records.RECORDS_DIRNAME, assignment, student)
            task = (assignment, student, notebook, expected, overrides, files, due, notes)
            return client.submit(grade_student, *task, key=key)

        futures = {submit(student): student for student in itertools.islice(waiting, _ahead(client))}
        running = as_completed(futures)
        try:
            with tqdm(total=len(todo), desc="grading", unit="student", smoothing=0.1) as progress:
                for future in running:
                    student = futures.pop(future)
                    graded = _result(future, assignment, student)
                    future.release()
                    if one_student.keep(workdir, graded, batch):
                        one_student.mark_graded(workdir, assignment, student, todo[student])
                    progress.update()
                    for following in itertools.islice(waiting, max(0, _ahead(client) - len(futures))):
                        sent = submit(following)
                        futures[sent] = following
                        running.add(sent)
        finally:
            client.run(forget_courses)
    return batch


def _ahead(client: Client) -> int:
    """How many students to have on the cluster at once: four for each of its worker threads now
    (they keep every worker busy, and an adaptive cluster sees work waiting), at least
    MIN_AHEAD. The scheduler then holds that many notebooks, whatever the size of the class."""
    return max(MIN_AHEAD, 4 * sum(client.nthreads().values()))


def _result(future, assignment: str, student: str) -> one_student.Graded:
    """What a task gave, or why it gave nothing."""
    try:
        return future.result()
    except KilledWorker:
        reason = "the grading process died on several workers while grading this submission (out of memory?)"
        return one_student.Graded(assignment, student, error=f"{reason}; the other students were graded")
    except Exception as error:
        return one_student.Graded(assignment, student, error=f"grading failed: {type(error).__name__}: {error}")

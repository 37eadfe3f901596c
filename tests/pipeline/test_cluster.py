"""Grading on a real Dask cluster: a scheduler and two workers started as separate processes on
this machine (:func:`tests.local_cluster.processes_here`), as ``dask scheduler`` and ``dask worker``
run on a cluster's nodes, each from the course folder."""

from __future__ import annotations

import html
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.batch import cluster
from autograder.commands import grade
from autograder.commands.grade import GradingRun
from autograder.grading import records
from tests.conftest import SAMPLES, SHEET12
from tests.local_cluster import processes_here


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """A scheduler and two one-thread workers with Dask's default nannies, separate processes."""
    with processes_here(2, tmp_path) as (address, workers):
        yield address, workers


def kill_when_graded(workdir: Path, count: int, worker: subprocess.Popen) -> threading.Thread:
    """A thread that kills ``worker``'s node (SIGKILL to its nanny's process group: the nanny and
    its worker) once ``count`` students are stored in ``workdir``."""

    def watch() -> None:
        folder = workdir / records.RECORDS_DIRNAME / "sheet12"
        while len(list(folder.glob("*.json"))) < count and worker.poll() is None:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()  # reaped, as a cluster node's own supervisor would

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_class_graded_on_two_workers_one_killed_midway_gets_the_local_grades_once_each(
    dask_cluster, graded_class: GradingRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, (doomed, _) = dask_cluster
    notebooks = {student: SHEET12.submission(sample) for student, sample in SAMPLES.items()}
    workdir = tmp_path / "course"
    workdir.mkdir()
    sent, done, most_ahead = [0], [0], [0]  # four per worker thread ahead (8, then 4): the class is 28

    def submit(client, *args, **kwargs):
        sent[0] += 1
        most_ahead[0] = max(most_ahead[0], sent[0] - done[0])
        return original_submit(client, *args, **kwargs)

    def keep(*args) -> bool:
        done[0] += 1
        return original_keep(*args)

    original_submit, original_keep = cluster.Client.submit, cluster.one_student.keep
    monkeypatch.setattr(cluster, "MIN_AHEAD", 1)
    monkeypatch.setattr(cluster.Client, "submit", submit)
    monkeypatch.setattr(cluster.one_student, "keep", keep)
    watcher = kill_when_graded(workdir, 3, doomed)
    run = grade.grade_notebooks(SHEET12, notebooks, workdir, scheduler=address)
    watcher.join(timeout=5)
    assert (sent[0], done[0], most_ahead[0]) == (len(SAMPLES), len(SAMPLES), 8)
    assert doomed.poll() == -signal.SIGKILL  # killed while students were left
    assert run.failed == {}
    assert {student: result.by_cell for student, result in run.scores.items()} == {
        student: graded_class.scores[student].by_cell for student in SAMPLES
    }
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gradebook:  # each student stored once
        submitted = [submission.student.id for submission in gradebook.assignment_submissions("sheet12")]
    assert sorted(submitted) == sorted(SAMPLES)
    assert sorted(path.name for path in (workdir / "feedback").iterdir()) == sorted(SAMPLES)
    assert list(Path(tempfile.gettempdir()).glob(f"{cluster.SCRATCH_PREFIX}*")) == []  # the dead one's too
    again = grade.grade_notebooks(SHEET12, notebooks, workdir, scheduler=address)  # resumes: nothing to do
    assert sorted(again.resumed) == sorted(SAMPLES)


def test_a_worker_whose_course_differs_from_the_clients_refuses_the_task() -> None:
    graded = cluster.grade_student("sheet12", "ada", b"{}", "0" * 64)
    assert graded.error.startswith("the worker's copy of the course") and graded.grades == {}


def test_what_the_lms_said_of_an_upload_reaches_the_feedback_written_on_a_worker() -> None:
    """The upload's notes (here Canvas's late mark) travel with the task: the page the worker
    writes says it, as a page written on this machine does."""
    notebook = nbformat.writes(SHEET12.submission(SAMPLES["correct"])).encode()
    notes = records.UploadNotes(late_mark="canvas")
    try:
        graded = cluster.grade_student("sheet12", "canvas-1", notebook, cluster.fingerprint("sheet12"), notes=notes)
    finally:
        cluster.forget_courses()
    assert graded.error is None
    page = html.unescape(graded.files["feedback/canvas-1/sheet12/sheet12.html"].decode())
    assert "Marked late by Canvas (the download gives no time)." in page

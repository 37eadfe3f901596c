"""A grading worker that dies (the kernel's out-of-memory killer, a signal) must not stop the batch.

The real command grades a small class while this test kills worker processes with SIGKILL:
once from outside (every student must still be graded, with the usual scores), and every time
one particular submission is being graded (that student alone is reported, after the second
death). Processes are found through /proc.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from autograder.grading.notebooks import COURSE_ROOT
from autograder.sandbox.jail import WORKDIR
from tests.conftest import SAMPLES, SHEET12, full_marks

CLASS = {"ada": "correct", "bob": "sum_instead_of_mean", "cyd": "correct", "dee": "blank", "eve": "transposed_dW1"}
#: A file a submission's cell leaves in its jail's working folder: the watcher kills that worker.
MARKER = "KILL-MY-GRADING-WORKER"


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, IndexError, ValueError):
                continue
            found[int(entry.name)] = (parent, command)
    return found


def worker_of(pid: int, grader: int, table: dict[int, tuple[int, str]]) -> int | None:
    """The grader's worker process that ``pid`` descends from."""
    while pid in table and table[pid][0] != grader:
        pid = table[pid][0]
    return pid if pid in table else None


def groups_of(workers: list[int]) -> list[Path]:
    """The control groups (named after the process that made them) these workers' jails left."""
    return [group for group in Path("/sys/fs/cgroup").rglob("autograder-*-*-*") if group.name.split("-")[2] in
            {str(pid) for pid in workers}]  # fmt: skip


def class_folder(tmp_path: Path, extra: dict[str, nbformat.NotebookNode] | None = None) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    for student, sample in CLASS.items():
        nbformat.write(SHEET12.submission(SAMPLES[sample]), folder / f"{student}.ipynb")
    for student, notebook in (extra or {}).items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    return folder


def grade(folder: Path, workdir: Path, killer) -> tuple[subprocess.CompletedProcess, list[int], set[str]]:
    """Run the grade command while ``killer(grader_pid)`` picks workers to kill; the pids killed and
    the jail folders its kernels used."""
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--assignment", "sheet12",
               "--jobs", "2", "--workdir", str(workdir)]  # fmt: skip
    grader = subprocess.Popen(command, cwd=COURSE_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed: list[int] = []
    seen_jails: set[str] = set()

    def watch() -> None:
        while grader.poll() is None:
            seen_jails.update(jails_under(grader.pid, processes()))
            with contextlib.suppress(OSError):  # a folder that goes while it is listed
                seen_jails.update(
                    str(jail) for jail in Path(tempfile.gettempdir()).glob("autograder-jails-*/warm-*/j-*")
                )
            for pid in killer(grader.pid):
                if pid not in killed:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = grader.communicate(timeout=600)
    watcher.join(timeout=5)
    return subprocess.CompletedProcess(command, grader.returncode, stdout, stderr), killed, seen_jails


def jails_under(root: int, table: dict[int, tuple[int, str]]) -> set[str]:
    """The jail folders named on the command lines of ``root``'s descendants (cold kernels' jails;
    a warm kernel's is in its template's spool, seen in the run's jails folder)."""
    jails = set()
    for pid, (_, command) in table.items():
        ancestor = pid
        while ancestor in table and ancestor != root:
            ancestor = table[ancestor][0]
        if ancestor == root:
            jails.update(re.findall(r"/\S*/autograder-jail-[^/\s]+", command))
    return jails


def totals(workdir: Path) -> dict[str, str]:
    with open(workdir / "grades.csv") as handle:
        return {row["student"]: row["autograded"] or row["error"] for row in csv.DictReader(handle)}


def expected(student: str) -> str:
    return f"{sum(full_marks(SAMPLES[CLASS[student]]).values()):g}"


def test_a_worker_killed_from_outside_loses_nobody(tmp_path: Path) -> None:
    def first_worker_with_a_kernel(grader: int) -> list[int]:
        table = processes()
        kernels = [pid for pid in table if _works_in(pid) == WORKDIR]  # cold or forked from a warm template
        workers = {worker_of(pid, grader, table) for pid in kernels} - {None}
        return sorted(workers)[:1]

    done, killed, jails = grade(class_folder(tmp_path), tmp_path / "work", _once(first_worker_with_a_kernel))
    assert killed and groups_of(killed) == []  # the dead worker's kernel's control group is gone too
    assert len(killed) == 1
    assert jails and not [jail for jail in jails if Path(jail).exists()]  # the dead worker's jail too
    assert done.returncode == 0, done.stdout + done.stderr
    assert totals(tmp_path / "work") == {student: expected(student) for student in CLASS}
    assert not (tmp_path / "work" / ".shards").exists()
    for student in CLASS:
        assert (tmp_path / "work" / "feedback" / student / "sheet12" / "sheet12.html").is_file()


def test_a_submission_whose_grading_kills_its_worker_twice_is_reported_and_the_rest_graded(tmp_path: Path) -> None:
    killer_cell = f"open({MARKER!r}, 'w').close()\nimport time\ntime.sleep(2)"
    notebook = SHEET12.submission(SAMPLES["correct"])
    notebook.cells.insert(1, nbformat.v4.new_code_cell(killer_cell))

    def workers_grading_the_killer(grader: int) -> list[int]:
        table = processes()
        # The working folder is a tmpfs inside the jail: look through the kernel's own root.
        owners = [pid for pid in table if _has_marker(pid)]
        return sorted({worker_of(pid, grader, table) for pid in owners} - {None})

    folder = class_folder(tmp_path, {"mallory": notebook})
    done, killed, jails = grade(folder, tmp_path / "work", workers_grading_the_killer)
    assert len(killed) == 2
    assert groups_of(killed) == []
    assert jails and not [jail for jail in jails if Path(jail).exists()]
    assert done.returncode == 1
    graded = totals(tmp_path / "work")
    assert graded.pop("mallory").startswith("the grading process died twice while grading this submission")
    assert graded == {student: expected(student) for student in CLASS}
    assert "not graded: the grading process died twice" in done.stdout


def _works_in(pid: int) -> str:
    """The process's working folder (in its own mount namespace), or "" when it cannot be seen."""
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def _has_marker(pid: int) -> bool:
    """Whether the process sees the marker in its jail's working folder (a tmpfs only it sees)."""
    try:
        return Path(f"/proc/{pid}/root{WORKDIR}/{MARKER}").exists()
    except OSError:  # a process we may not look into, or one that has just ended
        return False


def _once(pick):
    """``pick`` until it has named one process, then nothing."""
    chosen: list[int] = []

    def killer(grader: int) -> list[int]:
        if not chosen:
            chosen.extend(pick(grader))
        return chosen

    return killer

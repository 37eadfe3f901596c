"""Ctrl-C during a class run: the command stops, and nothing of the run is left on the machine
(jail folders, the socket folders' mounts, control groups, kernels or helper processes); only the
course folder the user asked for stays, to grade again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.batch import submissions
from autograder.grading.notebooks import COURSE_ROOT

TEMP = Path(tempfile.gettempdir())


def leftovers() -> set[str]:
    """What a grading run may create outside its course folder."""
    found = {
        str(path)
        for pattern in ("autograder-jail*", "autograder-zip-*", f"{submissions.SPOOL_PREFIX}*")
        for path in TEMP.glob(pattern)
    }
    found |= {str(path) for path in Path("/sys/fs/cgroup").rglob("autograder-*-*-*")}
    found |= {line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines() if "autograder-" in line}
    return found


def processes_in(session: int) -> list[str]:
    """The processes still running in the command's session (its workers and helpers; kernels get
    their own), as "pid command". A zombie has ended: only its parent has not reaped it yet (in a
    container, the init process may never do that)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if os.getsid(int(entry.name)) == session and state != "Z":
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    alive.append(f"{entry.name} {state} {command[:200]}")
            except (OSError, IndexError):
                continue
    return alive


def kernels_started() -> bool:
    return any(TEMP.glob("autograder-jails-*/autograder-jail-*")) or any(TEMP.glob("autograder-jails-*/warm-*/j-*"))


def test_ctrl_c_while_kernels_run_stops_the_run_and_leaves_nothing_behind(tmp_path: Path) -> None:
    before = leftovers()
    command = [sys.executable, "-m", "autograder", "grade", "--assignment", "sheet12", "--workdir", str(tmp_path)]
    grader = subprocess.Popen(
        command, cwd=COURSE_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not kernels_started() and time.monotonic() < deadline and grader.poll() is None:
        time.sleep(0.05)
    assert kernels_started(), "no kernel started within 120 s"
    os.killpg(grader.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    grader.communicate(timeout=120)
    assert grader.returncode != 0
    deadline = time.monotonic() + 10  # let killed kernels and helpers go
    while (processes_in(grader.pid) or leftovers() - before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_in(grader.pid) == []
    assert leftovers() - before == set()

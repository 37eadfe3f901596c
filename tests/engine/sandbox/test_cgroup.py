"""Which processes count as gone (for the cluster's sweep of dead workers' scratch courses and a
warm kernel's end)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from autograder.sandbox.cgroup import process_gone


def test_a_live_process_is_not_gone_and_a_missing_one_is() -> None:
    assert not process_gone(os.getpid())
    assert process_gone(2**22 + 12345)  # above Linux's largest pid: no such process


def test_a_zombie_is_gone() -> None:
    """A killed worker whose parent died too stays a zombie where PID 1 reaps nothing (a container
    without an init): dead, though /proc still lists it. Here: a child not yet reaped."""
    child = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10
    while "Z" not in Path(f"/proc/{child.pid}/stat").read_text().rpartition(")")[2][:3] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert Path(f"/proc/{child.pid}").exists() and process_gone(child.pid)
    child.wait()
    assert process_gone(child.pid)

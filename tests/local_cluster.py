"""A Dask cluster of separate processes on this machine, started as a real cluster's nodes start
theirs: for trying the cluster path on one machine (the tests and the benchmark). A test harness,
kept out of the engine."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from autograder.grading.notebooks import COURSE_ROOT


@contextmanager
def processes_here(
    workers: int, folder: Path, start_seconds: float = 60
) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """A Dask scheduler and ``workers`` one-thread workers started on this machine as separate
    processes, the way docs/platforms.md starts them on a cluster's nodes (``dask scheduler``, ``dask
    worker ADDRESS --nthreads 1`` from the course folder, with Dask's default nanny), with the
    scheduler's file and Dask's scratch space in ``folder``; yields the scheduler's address and the
    workers (each a nanny leading a session of its own: killing its process group, as a node that
    dies, kills the nanny and its worker). For trying the cluster path on one machine, the tests and
    the benchmark."""
    from distributed import Client

    env = {**os.environ, "PYTHONPATH": str(COURSE_ROOT), "DASK_TEMPORARY_DIRECTORY": str(folder / "dask")}

    def start(*args: str) -> subprocess.Popen:
        command = [sys.executable, "-m", *args, "--no-dashboard"]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        return subprocess.Popen(command, cwd=COURSE_ROOT, env=env, start_new_session=True, **quiet)

    scheduler_file = folder / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)  # an earlier cluster's
    started = [start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--scheduler-file", str(scheduler_file))]  # fmt: skip
    try:
        deadline = time.monotonic() + start_seconds
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        worker_args = ("--nthreads", "1")
        started += [
            start("distributed.cli.dask_worker", address, *worker_args, "--name", f"w{n}") for n in range(workers)
        ]
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=start_seconds)
        yield address, started[1:]
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

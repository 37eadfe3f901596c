"""A daemon process that may start a child: for the stand-in helper of a Dask worker.

multiprocessing refuses children to daemon processes (a Dask worker under its default nanny, as
``dask worker``, dask-jobqueue and dask-gateway start it is one), only so that none outlives its
parent. The stand-in helper (:mod:`autograder.grading.stand_ins`) ends with its pipe, so it may.
The refusal is the flag ``daemon`` of the current process's private ``_config``, lifted for the
start and put back: multiprocessing has no public way to say this.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator


@contextlib.contextmanager
def children_allowed() -> Iterator[None]:
    """Let this process start a child even when it is a daemon process."""
    config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    daemon = config.pop("daemon", None)
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon

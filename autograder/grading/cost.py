"""What grading one submission costs: wall time and peak memory of the grader's own process, and
CPU time per stage, the grader's and its kernel's.

Peak memory is Linux's high-water mark of the process's resident set (``VmHWM``), which writing
``5`` to ``/proc/self/clear_refs`` resets, so it can be measured per submission in a process that
grades many. The grading record keeps both, and the adversarial suite bounds them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROC_SELF = Path("/proc/self")


def peak_resident_bytes() -> int:
    """The most resident memory this process has held since the last :func:`reset_peak`."""
    for line in (PROC_SELF / "status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def reset_peak() -> None:
    """Start a new measurement of :func:`peak_resident_bytes`."""
    (PROC_SELF / "clear_refs").write_text("5")


@dataclass
class Meter:
    """Wall time and peak resident memory from its creation on."""

    started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        reset_peak()

    def seconds(self) -> float:
        """Wall time since the meter started."""
        return time.monotonic() - self.started

    def peak_mib(self) -> float:
        """Peak resident memory of this process since the meter started, in MiB."""
        return peak_resident_bytes() / 1024**2


@dataclass
class StageClock:
    """CPU seconds per stage of grading, as ``[grader, kernel]``: this process's own CPU time and
    what ``kernel_cpu`` (the CPU time of the student's kernel so far) gained, between one
    :meth:`mark` and the next. A kernel replaced by a new one counts from zero again."""

    kernel_cpu: Callable[[], float]
    stages: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._grader, self._kernel = time.process_time(), self.kernel_cpu()

    def mark(self, stage: str) -> None:
        """Add what was spent since the last mark to ``stage``."""
        grader, kernel = time.process_time(), self.kernel_cpu()
        spent = self.stages.setdefault(stage, [0.0, 0.0])
        spent[0] += round(grader - self._grader, 4)
        spent[1] += round(kernel - self._kernel if kernel >= self._kernel else kernel, 4)
        self._grader, self._kernel = grader, kernel

    def grader_seconds(self) -> float:
        """This process's CPU time over all stages."""
        return sum(grader for grader, _ in self.stages.values())

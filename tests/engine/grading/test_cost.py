"""The per-submission meter (peak memory is measured from the meter's start, not the process's) and
the clock of CPU time per grading stage."""

from __future__ import annotations

import numpy as np

from autograder.grading import cost


def test_the_peak_includes_memory_held_for_a_moment_and_a_new_meter_starts_from_what_is_held_now() -> None:
    meter = cost.Meter()
    block = np.ones(40 * 1024**2 // 8)  # 40 MiB, touched
    del block
    peak = meter.peak_mib()
    assert peak >= 40
    assert cost.Meter().peak_mib() < peak - 30
    assert meter.seconds() >= 0


def test_a_stage_clock_counts_the_graders_and_the_kernels_time_per_stage() -> None:
    kernel = iter([0.0, 1.5, 4.0, 0.5])  # the kernel's CPU time at each reading: replaced before the last
    clock = cost.StageClock(lambda: next(kernel))
    sum(range(10**6))
    clock.mark("cells")
    clock.mark("checks")
    clock.mark("checks")
    assert clock.stages["cells"][0] > 0 and clock.stages["cells"][1] == 1.5
    assert clock.stages["checks"][1] == 2.5 + 0.5  # the new kernel counts from zero
    assert clock.grader_seconds() == sum(grader for grader, _ in clock.stages.values())

"""The per-submission meter: peak memory is measured from the meter's start, not the process's."""

from __future__ import annotations

import numpy as np

from autograder import cost


def test_the_peak_includes_memory_held_for_a_moment_and_a_new_meter_starts_from_what_is_held_now() -> None:
    meter = cost.Meter()
    block = np.ones(40 * 1024**2 // 8)  # 40 MiB, touched
    del block
    peak = meter.peak_mib()
    assert peak >= 40
    assert cost.Meter().peak_mib() < peak - 30
    assert meter.seconds() >= 0

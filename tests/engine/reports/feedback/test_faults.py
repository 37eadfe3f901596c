"""Unit tests of faults in plain words (:mod:`autograder.reports.feedback.faults`): each kind the grader
notes, placed in its part, each sentence once, and never the fault's details."""

from __future__ import annotations

import pytest

from autograder.reports.feedback.faults import KINDS, UNKNOWN, PlainFault, describe, kind_of

TARGETS = {"q1_sum": "total", "q2_mean": "mean"}
CELL_PARTS = {3: "q1", 7: "q2"}


def plain(*faults: str) -> list[PlainFault]:
    return describe(faults, TARGETS, lambda grade_id: grade_id.split("_")[0], CELL_PARTS.get)


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ("timeout: cell 3 ran longer than 30 s", "timeout"),
        ("crash: cell 3 killed the kernel (os._exit, a crash or memory)", "crash"),
        ("memory limit: cell 3 ran out of memory", "memory limit"),
        ("process limit: 128 processes (cell 3)", "process limit"),
        ("disk limit: cell 3 filled a folder (no space left on device)", "disk limit"),
        ("output limit: cell 3 printed more than 1 MiB", "output limit"),
        ("malformed message: cell 3 sent an output that is not a notebook output; it was ignored", "malformed message"),
        ("time budget: the submission used up its 120 s; what was left scores 0", "time budget"),
        ("answer too large in total: 2000000 characters", "answer too large"),
        ("stand-in limit in total: 1 GiB", "stand-in limit"),
        ("unusable answer: the check failed with TypeError: nope", "unusable answer"),
        ("no answer in total: the kernel said nothing", "no answer"),
        ("something new", None),
    ],
)
def test_kind_of(fault: str, kind: str | None) -> None:
    assert kind_of(fault) == kind


def test_a_cells_fault_belongs_to_the_cells_part() -> None:
    assert plain("timeout: cell 7 ran longer than 30 s") == [
        PlainFault("q2", f"Cell 7 of the notebook {KINDS['timeout']}.")
    ]


def test_a_checks_fault_names_the_function_and_belongs_to_the_cells_part() -> None:
    assert plain("q1_sum: timeout in total: took longer than 10 s on (7, 3) inputs") == [
        PlainFault("q1", f"While total was checked, it {KINDS['timeout']}.")
    ]


def test_details_are_never_shown() -> None:
    (fault,) = plain("q2_mean: unusable answer: the check failed with ValueError: shapes (7,3) and (5,2)")
    assert "(7,3)" not in fault.text and "ValueError" not in fault.text


def test_faults_outside_the_parts_and_of_unknown_kinds() -> None:
    assert plain("time budget: the submission used up its 120 s", "crash: cell 40 killed the kernel", "new") == [
        PlainFault(None, f"The notebook {KINDS['time budget']}."),
        PlainFault(None, f"Cell 40 of the notebook {KINDS['crash']}."),
        PlainFault(None, f"The notebook {UNKNOWN}."),
    ]


def test_each_sentence_once() -> None:
    faults = ("memory limit: cell 3 ran out of memory", "memory limit: 2 GiB of the group (cell 3)")
    assert len(plain(*faults)) == 1

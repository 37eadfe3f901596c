"""A grading record's faults in plain words for the student, with the part each belongs to.

The trusted grader notes faults as ``<kind>: <details>`` (prefixed by the test cell's grade id
when they happened while its check called the student's code), e.g. ``timeout: cell 22 ran
longer than 30 s``. Students get the kind in plain words and where it happened, never the
details (they can quote hidden inputs' shapes or the grader's internals).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: Every kind of fault the grader notes, and what it means, as the end of a sentence.
KINDS: dict[str, str] = {
    "timeout": "ran longer than its time limit and was stopped",
    "crash": "stopped Python (a crash, os._exit or running out of memory); the rest ran in a fresh kernel",
    "no answer": "gave no answer",
    "memory limit": "used more memory than is allowed",
    "process limit": "started more processes than are allowed",
    "disk limit": "wrote more files than are allowed",
    "output limit": "printed more output than is kept, so the rest was dropped",
    "malformed message": "sent output that is not a notebook output, so it was ignored",
    "answer too large": "gave an answer too large to check",
    "stand-in limit": "passed arguments too large for the grader's reference functions",
    "unusable answer": "gave an answer the check could not use",
    "error": "could not be checked",
    "time budget": "used up its time budget, so what was left scored 0",
}
UNKNOWN = "had a problem while it was graded"
CELL = re.compile(r"\bcell (\d+)\b")


@dataclass(frozen=True)
class PlainFault:
    """One fault as a student reads it, and the part it belongs to (None: the whole notebook)."""

    part: str | None
    text: str


def kind_of(fault: str) -> str | None:
    """The kind of a fault (its grade-id prefix removed first), None if it is of no known kind."""
    matches = [kind for kind in KINDS if fault.startswith(kind)]
    return max(matches, key=len) if matches else None


def describe(
    faults: Iterable[str], targets: dict[str, str], part_of_grade_id: Callable[[str], str],
    part_of_cell: Callable[[int], str | None],
) -> list[PlainFault]:  # fmt: skip
    """Plain words for each fault, each sentence once. ``targets``: grade id to the function its
    check calls; ``part_of_cell``: the part of a notebook cell (by its 1-based number)."""
    plain: dict[PlainFault, None] = {}
    for fault in faults:
        grade_id, _, rest = fault.partition(": ")
        if grade_id in targets:
            kind = kind_of(rest)
            subject, part = f"While {targets[grade_id]} was checked, it", part_of_grade_id(grade_id)
        else:
            kind, cell = kind_of(fault), CELL.search(fault)
            number = int(cell.group(1)) if cell else None
            part = part_of_cell(number) if number is not None else None
            subject = f"Cell {number} of the notebook" if number is not None else "The notebook"
        plain[PlainFault(part, f"{subject} {KINDS.get(kind, UNKNOWN) if kind else UNKNOWN}.")] = None
    return list(plain)

"""What a hidden check returns and what a graded cell comes to, in plain engine terms.

An assignment's checks may describe problems with any object that has a ``message`` and a
``mistake`` (a named common mistake or None); :class:`Problem` is the engine's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Described(Protocol):
    """Anything that says what is wrong: a message and, when recognised, a named mistake."""

    message: str
    mistake: str | None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an answer; ``mistake`` names a recognised common mistake."""

    message: str
    mistake: str | None = None


@dataclass(frozen=True)
class Verdict:
    """The share of a cell's points earned, what was wrong, and whether the public self-check's
    test on the sheet's numbers holds (what the student's own self-check should have said)."""

    fraction: float
    problems: tuple[Described, ...] = ()
    public_passed: bool = True


@dataclass(frozen=True)
class CellResult:
    """The outcome of one autograded cell: points out of the maximum, and what was wrong."""

    grade_id: str
    points: float
    max_points: float
    problems: tuple[Described, ...] = ()
    public_passed: bool = True

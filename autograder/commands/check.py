"""``python -m autograder check [--assignment ID]``: every sample graded, and compared with its ``EXPECTED``.

An assignment's ``samples/`` say what grading each must give (:mod:`autograder.grading.samples`): the
points of every autograded cell (full marks unless ``scores`` or ``blank`` says otherwise), the
named mistake, a tamper flag, a fault. This command grades them all through the real nbgrader
pipeline, as ``grade`` does, in a scratch course that it removes, and lists every difference: a
wrong ``EXPECTED`` (or a check that changed) fails here, not in front of students.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from autograder.commands import grade
from autograder.grading import records
from autograder.grading.assignment import Assignment
from autograder.grading.notebooks import COURSE_ROOT
from autograder.grading.records import GradingRecord
from autograder.grading.samples import Sample
from autograder.reports.scores import StudentScores


def expected_points(sample: Sample, assignment: Assignment) -> dict[str, float]:
    """Every autograded cell's points the sample must get."""
    full = {cell.grade_id: cell.points for cell in assignment.autograded}
    return dict.fromkeys(full, 0.0) if sample.blank else {**full, **sample.scores}


def differences(sample: Sample, scores: StudentScores, record: GradingRecord | None) -> list[str]:
    """How grading the sample differed from its ``EXPECTED`` (none: as expected)."""
    if scores.error:
        return [f"not graded: {scores.error}"]
    found = []
    for grade_id, points in expected_points(sample, scores.assignment).items():
        got = scores.by_cell.get(grade_id, 0.0)
        if got != points:
            found.append(f"{grade_id}: {got:g} points, EXPECTED {points:g}")
    named = sorted({mistake for cell in (record.cells.values() if record else []) for mistake in cell.mistakes})
    if sample.mistake and sample.mistake not in named:
        found.append(f"the mistake {sample.mistake!r} was not named (named: {', '.join(named) or 'none'})")
    if sample.flagged != bool(scores.flags):
        found.append(f"flagged: {bool(scores.flags)}, EXPECTED {sample.flagged}")
    if sample.fault and not any(sample.fault in fault for fault in scores.faults):
        found.append(f"no fault {sample.fault!r} (faults: {'; '.join(scores.faults) or 'none'})")
    return found


def check_samples(assignment: Assignment, jobs: int = grade.DEFAULT_JOBS) -> dict[str, list[str]]:
    """Grade every sample of the assignment in a scratch course (removed afterwards); each
    sample's differences from its ``EXPECTED``, by name."""
    with tempfile.TemporaryDirectory(prefix=f"{assignment.id}-samples-") as scratch:
        workdir = Path(scratch)
        samples = assignment.samples()
        notebooks = {
            student: assignment.submission(sample, str(workdir), str(COURSE_ROOT))
            for student, sample in samples.items()
        }
        run = grade.grade_notebooks(assignment, notebooks, workdir, jobs=jobs)
        records_dir = workdir / records.RECORDS_DIRNAME
        return {
            student: differences(sample, run.scores[student], records.load(records_dir, assignment.id, student))
            for student, sample in samples.items()
        }


def summary(found: dict[str, list[str]]) -> str:
    """One line per sample: as expected, or what differed."""
    lines = []
    for student, problems in sorted(found.items()):
        lines.append(f"{student}: {'as expected' if not problems else 'DIFFERS'}")
        lines += [f"  {problem}" for problem in problems]
    wrong = sum(1 for problems in found.values() if problems)
    lines.append(f"{len(found) - wrong} of {len(found)} samples as their EXPECTED says")
    return "\n".join(lines)

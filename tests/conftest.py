"""Shared test data and fixtures: the assignments' sample catalogues, and one real nbgrader
grading run of every sheet 12 sample, reused by many tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import assignments, patches
from autograder.commands import grade
from autograder.commands.check import expected_points
from autograder.grading.assignment import Assignment
from autograder.grading.notebooks import COURSE_ROOT
from autograder.grading.samples import Sample
from tests.guarantees import load as load_catalogue

# The tests grade in this process: it starts as a grading process does (`alembic` on PATH).
patches.apply()

SHEET12 = assignments.load("sheet12")
#: Every sample the tests grade: correct, blank, loop style and one per named mistake.
SAMPLES: dict[str, Sample] = SHEET12.samples()
#: Submissions that attack the grader, each with the exact outcome it must get.
ATTACKS: dict[str, Sample] = SHEET12.samples("attacks")
#: The attacks the adversarial batch grades: all of them, or those named (comma-separated) in the
#: environment variable ADVERSARIAL_ATTACKS, for a quick run of the tests about them (the mutation
#: runs use it); a test marked ``attacks(...)`` that reads an attack left out is deselected.
GRADED_ATTACKS: tuple[str, ...] = tuple(os.environ.get("ADVERSARIAL_ATTACKS", ",".join(ATTACKS)).split(","))


def full_marks(sample: Sample, assignment: Assignment = SHEET12) -> dict[str, float]:
    """Every autograded cell's points a sample must get (``scores`` lists the exceptions)."""
    return expected_points(sample, assignment)


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> grade.GradingRun:
    """All samples autograded in one scratch course by real nbgrader and a real kernel."""
    notebooks = {student: SHEET12.submission(sample) for student, sample in SAMPLES.items()}
    return grade.grade_notebooks(SHEET12, notebooks, tmp_path_factory.mktemp("graded-class"))


def copy_course_repository(folder: Path) -> Path:
    """A copy of the course repository (no git metadata, no grading state) in ``folder``/course."""
    anywhere = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "artifacts")
    # nbgrader's grading state is at the course's top level (autograder/reports/feedback/ is code).
    state = {"gradebook.db", "submitted", "autograded", "feedback", "grading_records", ".venv"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == COURSE_ROOT
        return anywhere(folder, names) | ({name for name in names if name in state} if top else set())

    target = folder / "course"
    shutil.copytree(COURSE_ROOT, target, ignore=ignore)
    return target


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A copy of the course repository to run commands in."""
    return copy_course_repository(tmp_path)


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """nbgrader's own command line, run from ``course`` with this project's Python (no PATH lookup)."""
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True, timeout=600
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the tests about attacks that this run's adversarial batch does not grade."""
    kept, left_out = [], []
    for item in items:
        marker = item.get_closest_marker("attacks")
        (left_out if marker and not set(marker.args) <= set(GRADED_ATTACKS) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


# --- The guarantee catalogue: no silent skips, and the mutation table -------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A test the guarantee catalogue counts may not be skipped: a skip of one is a failure."""
    report = yield
    if report.skipped and item.nodeid.split("[")[0] in load_catalogue().tests():
        report.outcome = "failed"
        report.longrepr = f"skipped, but the guarantee catalogue counts this test: {report.longrepr}"
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The mutation table, when mutations ran in this session."""
    from tests.mutations.run import table
    from tests.mutations.test_mutations import OUTCOMES

    if OUTCOMES:
        terminalreporter.section("mutations of the guarantee catalogue")
        terminalreporter.write_line(table(OUTCOMES))

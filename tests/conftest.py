"""Shared fixtures: one real nbgrader grading run of every sample, reused by many tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder import grade, samples
from autograder.notebooks import COURSE_ROOT

#: Every sample the tests grade: correct, blank, loop style and one per named mistake.
GRADED_SAMPLES = (*samples.BUNDLED[:2], samples.LOOP_STYLE, *samples.MISTAKEN)


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> grade.GradingRun:
    """All samples autograded in one scratch course by real nbgrader and a real kernel."""
    notebooks = {sample.student: sample.notebook() for sample in GRADED_SAMPLES}
    return grade.grade_notebooks(notebooks, tmp_path_factory.mktemp("graded-class"))


def copy_course_repository(folder: Path) -> Path:
    """A copy of the course repository (no git metadata, no grading state) in ``folder``/course."""
    ignore = shutil.ignore_patterns(
        ".git",
        "__pycache__",
        "*.pyc",
        ".pytest_cache",
        ".ruff_cache",
        "gradebook.db",
        "submitted",
        "autograded",
        "feedback",
        "artifacts",
    )
    target = folder / "course"
    shutil.copytree(COURSE_ROOT, target, ignore=ignore)
    return target


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A copy of the course repository to run commands in."""
    return copy_course_repository(tmp_path)

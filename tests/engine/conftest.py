"""Fixtures of the engine's unit tests: synthetic assignments (a source notebook written into a
temporary course folder and an :class:`~autograder.grading.assignment.Assignment` declared around it),
and finding submissions with a spool folder of pytest's."""

from __future__ import annotations

import tempfile
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import nbformat
import pytest

from autograder.batch import submissions
from autograder.grading.assignment import Assignment, HiddenCheck, Part
from autograder.grading.verdict import Verdict
from autograder.reports.scores import StudentScores


def nbgrader_meta(grade_id: str, *, solution: bool, grade: bool, locked: bool, points: float | None = None) -> dict:
    """The ``metadata.nbgrader`` of a cell, as nbgrader writes it."""
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return meta


def full_marks(student: Mapping, rng: object) -> Verdict:
    """A hidden check that is always satisfied."""
    return Verdict(1.0)


def source_notebook(tests: Mapping[str, float], manual: Mapping[str, float]) -> nbformat.NotebookNode:
    """An instructor's notebook: per test cell a code solution cell and the test cell, then the
    manually graded markdown answers."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("# A synthetic sheet"))
    for grade_id, points in tests.items():
        solution = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION")
        solution.metadata["nbgrader"] = nbgrader_meta(f"{grade_id}_solution", solution=True, grade=False, locked=False)
        test = nbformat.v4.new_code_cell("assert answer == 1")
        test.metadata["nbgrader"] = nbgrader_meta(grade_id, solution=False, grade=True, locked=True, points=points)
        notebook.cells += [solution, test]
    for grade_id, points in manual.items():
        answer = nbformat.v4.new_markdown_cell("The answer, in words.")
        answer.metadata["nbgrader"] = nbgrader_meta(grade_id, solution=True, grade=True, locked=False, points=points)
        notebook.cells.append(answer)
    return notebook


def build_assignment(
    root: Path,
    parts: Sequence[tuple[str, str]],
    tests: Mapping[str, float],
    manual: Mapping[str, float] = types.MappingProxyType({}),
    *,
    checks: Sequence[HiddenCheck] | None = None,
    assignment_id: str = "toy",
    values: tuple[str, ...] = (),
    dependencies: Mapping[str, tuple[str, ...]] = types.MappingProxyType({}),
    reference: types.ModuleType | None = None,
) -> Assignment:
    """An assignment ``assignment_id`` in the course at ``root``, its source notebook written there
    (by default one always-satisfied check per test cell)."""
    path = root / "source" / assignment_id / f"{assignment_id}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(source_notebook(tests, manual), path)
    if checks is None:
        checks = [HiddenCheck(grade_id, f"f_{grade_id}", full_marks) for grade_id in tests]
    return Assignment(
        id=assignment_id,
        parts=tuple(Part(part_id, title) for part_id, title in parts),
        checks=tuple(checks),
        values=values,
        dependencies=dependencies,
        reference=reference or types.ModuleType(f"{assignment_id}_reference"),
        folder=root / "package",
        course_root=root,
    )


@pytest.fixture
def make_assignment(tmp_path: Path) -> Callable[..., Assignment]:
    """:func:`build_assignment` in this test's temporary folder."""
    return lambda *args, **kwargs: build_assignment(tmp_path, *args, **kwargs)


#: Three parts; "q1_b" shares the prefix "q1", so its cells must not count for "q1".
TOY_PARTS = (("q1", "Question 1"), ("q1_b", "Question 1b"), ("q2", "Question 2"))
TOY_TESTS = {"q1_sum": 2, "q1_b_prod": 3, "q1_b_edge": 1, "q2_mean": 2}
TOY_MANUAL = {"q2_explain": 4}


@pytest.fixture
def toy(tmp_path: Path) -> Assignment:
    """A 3-part assignment: autograded maxima q1 2, q1_b 4, q2 2 (8 in all), and 4 points by hand in q2."""
    return build_assignment(tmp_path / "course", TOY_PARTS, TOY_TESTS, TOY_MANUAL)


@pytest.fixture
def toy_scores(toy: Assignment) -> dict[str, StudentScores]:
    """Three students of :func:`toy`: alice graded (4.5 of 8, her written answer pending), bob not
    graded, carol full autograded marks with a tamper flag and two faults, 3 of 4 points by hand,
    submitted 2.5 hours late with a penalty of 1, and her q2_mean raised by hand from 2 to 2.5."""
    carol_auto = {"q1_sum": 2.0, "q1_b_prod": 3.0, "q1_b_edge": 1.0, "q2_mean": 2.0}
    alice_auto = {"q1_sum": 2.0, "q1_b_prod": 1.5, "q1_b_edge": 1.0, "q2_mean": 0.0}
    return {
        "carol": StudentScores(
            "carol",
            toy,
            by_cell=carol_auto,
            seed=7,
            faults=["timeout: cell 3", "memory limit: cell 5"],
            flags=["q1_sum: tampering?"],
            manual={"q2_explain": 3.0},
            final_by_cell={**carol_auto, "q2_mean": 2.5, "q2_explain": 3.0},
            name="Carol Chen",
            late_penalty=1.0,
            seconds_late=2.5 * 3600,
        ),
        "alice": StudentScores(
            "alice", toy, by_cell=alice_auto, seed=3, manual={"q2_explain": None}, final_by_cell=alice_auto
        ),
        "bob": StudentScores("bob", toy, error="not in the gradebook"),
    }


@pytest.fixture
def unzipped(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where zip archives are extracted: a folder of pytest's, not the system's temporary folder."""
    folder = tmp_path_factory.mktemp("unzipped")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


#: :func:`autograder.batch.submissions.find` for sheet12, spooling where the test's fixture says.
Find = Callable[[Path], submissions.Found]


@pytest.fixture
def find(tmp_path_factory: pytest.TempPathFactory) -> Find:
    """:func:`autograder.batch.submissions.find` for sheet12, with the spool folder outside the folder
    searched."""
    return lambda folder: submissions.find(folder, "sheet12", tmp_path_factory.mktemp("spooled"))


def markers(found: submissions.Found) -> dict[str, str]:
    """The ``marker`` in the metadata of each student's spooled notebook."""
    return {student: nbformat.read(path, as_version=4).metadata["marker"] for student, path in found.notebooks.items()}

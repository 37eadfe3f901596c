"""Unit tests of the engine's view of an assignment (:mod:`autograder.grading.assignment`) on a synthetic
assignment: points read from its source notebook, parts, functions, stand-ins, declaration
mismatches, scoring a graded cell, and the per-student seeds and generators."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.grading.assignment import Assignment, AssignmentError, GradedCell, HiddenCheck, rng_for, seed_for
from autograder.grading.verdict import CellResult, Problem, Verdict

PARTS = (("q1", "Question 1"), ("q1_b", "Question 1b"), ("q2", "Question 2"))


def check_total(student: Mapping[str, Any], rng: np.random.Generator) -> Verdict:
    return Verdict(1.0 if student.get("total") == 6 else 0.0)


def check_double(student: Mapping[str, Any], rng: np.random.Generator) -> Verdict:
    return Verdict(0.5, (Problem("double(0) is wrong", "off_by_one"),), public_passed=False)


def reference() -> types.ModuleType:
    module = types.ModuleType("toy_reference")
    module.double = lambda x: 2 * x
    module.helper = lambda x: x + 1
    module.secret = lambda: "hidden"
    return module


@pytest.fixture
def toy(make_assignment: Callable[..., Assignment]) -> Assignment:
    """Two test cells (q1_sum 2 points, q1_b_prod 3.5 points, declared in the other order) and a
    written answer graded by hand (q2_explain, 4 points)."""
    return make_assignment(
        PARTS,
        {"q1_sum": 2, "q1_b_prod": 3.5},
        {"q2_explain": 4},
        checks=[HiddenCheck("q1_b_prod", "double", check_double), HiddenCheck("q1_sum", "total", check_total)],
        values=("total",),
        dependencies={"double": ("helper",), "total": ()},
        reference=reference(),
    )


def test_notebook_paths(toy: Assignment, tmp_path: Path) -> None:
    assert toy.notebook_name == "toy.ipynb"
    assert toy.source_notebook == tmp_path / "source" / "toy" / "toy.ipynb"
    assert toy.release_notebook == tmp_path / "release" / "toy" / "toy.ipynb"


def test_autograded_cells_in_notebook_order_with_points_from_the_notebook(toy: Assignment) -> None:
    assert toy.autograded == (
        GradedCell("q1_sum", 2.0, "total", check_total, "q1"),
        GradedCell("q1_b_prod", 3.5, "double", check_double, "q1_b"),
    )
    assert all(type(cell.points) is float for cell in toy.autograded)
    assert list(toy.by_grade_id) == ["q1_sum", "q1_b_prod"]
    assert toy.by_grade_id["q1_b_prod"].points == 3.5


def test_manual_cells_are_the_graded_solution_cells(toy: Assignment) -> None:
    assert toy.manual == {"q2_explain": 4.0}  # the ungraded solution cells are in neither


def test_points_by_part_in_the_sheets_order(toy: Assignment) -> None:
    table = toy.points_by_part()
    assert list(table) == ["q1", "q1_b", "q2"]
    assert table == {
        "q1": {"auto": 2.0, "manual": 0.0},
        "q1_b": {"auto": 3.5, "manual": 0.0},
        "q2": {"auto": 0.0, "manual": 4.0},
    }


@pytest.mark.parametrize(
    ("grade_id", "part"),
    [("q1", "q1"), ("q1_sum", "q1"), ("q1_b", "q1_b"), ("q1_b_prod", "q1_b"), ("q1_bx", "q1"), ("q2_x_y", "q2")],
)
def test_part_of_is_the_longest_matching_prefix(toy: Assignment, grade_id: str, part: str) -> None:
    assert toy.part_of(grade_id) == part


@pytest.mark.parametrize("grade_id", ["q10", "q1b_prod", "q3_x", "", "Q1_sum", "x_q1"])
def test_part_of_an_unknown_grade_id_raises(toy: Assignment, grade_id: str) -> None:
    with pytest.raises(AssignmentError) as raised:
        toy.part_of(grade_id)
    assert str(raised.value) == f"grade id {grade_id!r} belongs to no part of toy"


def test_title(toy: Assignment) -> None:
    assert [toy.title(part) for part in ("q1", "q1_b", "q2")] == ["Question 1", "Question 1b", "Question 2"]


def test_title_of_an_unknown_part_raises_assignment_error(toy: Assignment) -> None:
    with pytest.raises(AssignmentError):
        toy.title("q9")


def test_functions_are_the_targets_that_are_not_values(toy: Assignment) -> None:
    assert toy.functions == ("double",)


def test_stand_in_runs_the_reference_of_a_declared_dependency(toy: Assignment) -> None:
    assert toy.stand_in("helper", [41]) == 42


@pytest.mark.parametrize("name", ["double", "secret", "total", "__import__", "nope"])
def test_stand_in_refuses_names_that_are_no_dependency(toy: Assignment, name: str) -> None:
    with pytest.raises(PermissionError) as raised:
        toy.stand_in(name, [1])
    assert str(raised.value) == f"{name} is not available here"


def test_a_test_cell_without_a_declared_check_is_an_error(make_assignment: Callable[..., Assignment]) -> None:
    toy = make_assignment(PARTS, {"q1_sum": 2, "q1_extra": 1}, checks=[HiddenCheck("q1_sum", "total", check_total)])
    with pytest.raises(AssignmentError) as raised:
        toy.autograded  # noqa: B018
    assert str(raised.value) == f"{toy.source_notebook}: test cell 'q1_extra' has no declared check"
    with pytest.raises(AssignmentError):
        toy.points_by_part()


def test_a_declared_check_without_a_test_cell_is_an_error(make_assignment: Callable[..., Assignment]) -> None:
    toy = make_assignment(
        PARTS,
        {"q1_sum": 2},
        checks=[
            HiddenCheck("q2_gone", "gone", check_total),
            HiddenCheck("q1_sum", "total", check_total),
            HiddenCheck("q1_b_gone", "gone_too", check_total),
        ],
    )
    with pytest.raises(AssignmentError) as raised:
        toy.manual  # noqa: B018
    assert str(raised.value) == f"{toy.source_notebook}: no test cell for the declared checks ['q1_b_gone', 'q2_gone']"


def test_a_test_cell_outside_every_part_is_an_error(make_assignment: Callable[..., Assignment]) -> None:
    toy = make_assignment(PARTS, {"q7_sum": 2})
    with pytest.raises(AssignmentError, match=r"^grade id 'q7_sum' belongs to no part of toy$"):
        toy.autograded  # noqa: B018


def test_graded_cell_run_multiplies_the_fraction_by_the_points() -> None:
    seen: dict[str, Any] = {}

    def check(student: Mapping[str, Any], rng: np.random.Generator) -> Verdict:
        seen["student"], seen["draws"] = student, rng.random(3)
        return Verdict(0.25, (Problem("wrong sign", "sign"),), public_passed=False)

    student = {"double": lambda x: -2 * x}
    result = GradedCell("q1_b_prod", 4.0, "double", check, "q1_b").run(student, seed=11)
    assert result == CellResult("q1_b_prod", 1.0, 4.0, (Problem("wrong sign", "sign"),), False)
    assert seen["student"] is student
    np.testing.assert_array_equal(seen["draws"], rng_for("q1_b_prod", 11).random(3))


def test_a_cell_of_the_assignment_scores_with_its_notebook_points(toy: Assignment) -> None:
    result = toy.by_grade_id["q1_b_prod"].run({}, seed=3)
    assert (result.grade_id, result.points, result.max_points, result.public_passed) == ("q1_b_prod", 1.75, 3.5, False)
    assert [problem.message for problem in result.problems] == ["double(0) is wrong"]
    assert toy.by_grade_id["q1_sum"].run({"total": 6}).points == 2.0
    assert toy.by_grade_id["q1_sum"].run({"total": 5}).points == 0.0


def test_seed_for_is_fixed_and_differs_per_student_and_assignment() -> None:
    assert seed_for("alice", "sheet12") == 12039700252576884442  # regrading must repeat the hidden inputs
    assert seed_for("alice", "sheet12") == seed_for("alice", "sheet12")
    assert len({seed_for("alice", "sheet12"), seed_for("bob", "sheet12"), seed_for("alice", "sheet13")}) == 3
    assert 0 <= seed_for("bob", "sheet12") < 2**64


def test_rng_for_is_fixed_and_differs_per_grade_id_and_seed() -> None:
    assert rng_for("q1_sum", 5).integers(0, 1000, 4).tolist() == [377, 355, 33, 393]
    assert rng_for("q1_sum").integers(0, 1000, 4).tolist() == [349, 265, 732, 438]
    draws = {
        tuple(rng_for(grade_id, seed).random(2)) for grade_id, seed in [("q1_sum", 5), ("q1_b_prod", 5), ("q1_sum", 6)]
    }
    assert len(draws) == 3
    np.testing.assert_array_equal(rng_for("q1_sum", 5).random(5), rng_for("q1_sum", 5).random(5))
    seed = seed_for("alice", "sheet12")
    assert rng_for("q1_sum", seed).random() != rng_for("q1_sum", seed_for("bob", "sheet12")).random()

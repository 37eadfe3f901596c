"""The reference solution on hand-computed examples, and the public self-check's constants."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograder import assignments
from autograder.assignments.warmup import mistakes
from autograder.assignments.warmup import reference as ref
from autograder.assignments.warmup.public import selfcheck

WARMUP = assignments.load("warmup")


def quietly(fn, *args):
    """``fn(*args)``, failing on any warning (NumPy's overflow warnings included)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args)


def test_center_columns_subtracts_the_column_means() -> None:
    X = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])  # column means 3 and 6
    np.testing.assert_array_equal(ref.center_columns(X), [[-2.0, -4.0], [0.0, 0.0], [2.0, 4.0]])


def test_centered_columns_have_mean_zero_and_keep_the_shape() -> None:
    X = np.random.default_rng(0).normal(loc=[3.0, -7.0, 100.0], size=(6, 3))
    centered = ref.center_columns(X)
    assert centered.shape == X.shape
    np.testing.assert_allclose(centered.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X - centered, np.tile(X.mean(axis=0), (6, 1)))


def test_center_columns_of_integers() -> None:
    np.testing.assert_array_equal(ref.center_columns(np.array([[1, 0], [3, 4]])), [[-1.0, -2.0], [1.0, 2.0]])


def test_sigmoid_values() -> None:
    assert ref.sigmoid(np.array(0.0)) == pytest.approx(0.5, abs=1e-15)
    assert ref.sigmoid(np.array(math.log(3.0))) == pytest.approx(0.75, rel=1e-14)  # 1 / (1 + 1/3)
    Z = np.linspace(-8.0, 8.0, 17)
    np.testing.assert_allclose(ref.sigmoid(Z) + ref.sigmoid(-Z), 1.0, rtol=1e-14)
    np.testing.assert_allclose(ref.sigmoid(Z), 1 / (1 + np.exp(-Z)), rtol=1e-14)


@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 2)])
def test_sigmoid_keeps_any_shape(shape: tuple[int, ...]) -> None:
    assert np.shape(ref.sigmoid(np.zeros(shape))) == shape


def test_sigmoid_is_finite_and_quiet_for_large_inputs() -> None:
    values = quietly(ref.sigmoid, np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0]))
    np.testing.assert_allclose(values, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-300)
    assert np.all(np.isfinite(values))


def test_softmax_of_a_hand_computed_row() -> None:
    # e^0 : e^ln2 : e^ln3 = 1 : 2 : 3
    np.testing.assert_allclose(ref.softmax(np.array([[0.0, math.log(2.0), math.log(3.0)]])), [[1 / 6, 2 / 6, 3 / 6]])
    np.testing.assert_allclose(ref.softmax(np.zeros((2, 4))), 0.25)


def test_softmax_rows_are_distributions() -> None:
    P = ref.softmax(np.random.default_rng(1).normal(scale=5.0, size=(5, 4)))
    assert P.shape == (5, 4)
    assert np.all(P > 0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)


def test_softmax_is_invariant_to_shifting_each_row() -> None:
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(4, 3))
    shifts = rng.uniform(-50.0, 50.0, size=(4, 1))
    np.testing.assert_allclose(ref.softmax(Z + shifts), ref.softmax(Z), rtol=1e-12)


def test_softmax_is_finite_and_quiet_for_large_inputs() -> None:
    P = quietly(ref.softmax, np.array([[1000.0, 1000.0], [-1000.0, -1001.0], [0.0, 2000.0]]))
    np.testing.assert_allclose(P, [[0.5, 0.5], [1 / (1 + math.exp(-1)), 1 / (1 + math.e)], [0.0, 1.0]])


def test_predict_proba_is_the_softmax_of_the_scores() -> None:
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    W = np.array([[math.log(2.0), 0.0], [0.0, 0.0]])
    b = np.array([[0.0, math.log(3.0)]])
    # scores [[ln 2, ln 3], [0, ln 3]]: probabilities 2 : 3 and 1 : 3
    np.testing.assert_allclose(ref.predict_proba(X, W, b), [[0.4, 0.6], [0.25, 0.75]])


def test_the_points_table() -> None:
    assert WARMUP.points_by_part() == {
        "w1": {"auto": 1.0, "manual": 0.0},
        "w2": {"auto": 1.0, "manual": 0.0},
        "w3": {"auto": 3.0, "manual": 1.0},
    }
    assert {cell.grade_id: cell.points for cell in WARMUP.autograded} == {
        "w1_center_columns": 1.0,
        "w2_sigmoid": 1.0,
        "w3_softmax": 2.0,
        "w3_predict_proba": 1.0,
    }
    assert WARMUP.manual == {"w3_stability": 1.0}


def test_the_examples_expected_values_are_the_reference_values() -> None:
    """What ships in selfcheck_values.py is computed, never copied: the reference on the examples."""
    given = selfcheck.EXPECTED
    np.testing.assert_array_equal(given["center_columns"]["value"], ref.center_columns(np.array(selfcheck.CENTER_X)))
    np.testing.assert_array_equal(given["sigmoid"]["value"], ref.sigmoid(np.array(selfcheck.SIGMOID_Z)))
    np.testing.assert_array_equal(given["softmax"]["value"], ref.softmax(np.array(selfcheck.SOFTMAX_Z)))
    for b, values in zip(selfcheck.PREDICT_BIASES, given["predict_proba"], strict=True):
        np.testing.assert_array_equal(values["value"], ref.predict_proba(*selfcheck.predict_args(b)))
    assert set(given["softmax_small"]["variants"]) >= {"missing_keepdims#sum", "missing_keepdims#max"}


def test_every_modelled_mistake_has_an_explanation() -> None:
    X, Z = np.ones((3, 3)), np.ones((3, 3))
    names = {
        *mistakes.center_columns_variants(X),
        *mistakes.sigmoid_variants(Z),
        *mistakes.softmax_variants(Z),
        *mistakes.predict_proba_variants(X, Z, Z[:1]),
        "unstable",
    }
    assert {name.partition("#")[0] for name in names} <= set(selfcheck.MISTAKES)

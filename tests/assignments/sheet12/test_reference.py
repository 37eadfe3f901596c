"""The reference solution reproduces every number of the sheet and agrees with finite differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograder.assignments.sheet12 import mistakes
from autograder.assignments.sheet12 import reference as ref
from autograder.assignments.sheet12.cases import network_case
from autograder.assignments.sheet12.checks import numerical_grads
from autograder.assignments.sheet12.public import selfcheck
from autograder.selfcheck_kit import numerical_gradient, rel_error

#: Stored constants equal the reference's values up to the order of floating-point sums, which
#: NumPy's BLAS chooses by CPU (the same code gave values 1.6e-15 apart on two machines).
ROUNDING = 1e-13


@pytest.fixture
def sheet():
    return selfcheck.sheet_data()


def test_statements_match_the_sheet() -> None:
    assert ref.STATEMENT_ANSWERS == (True, True, True, False)


def test_parameter_count_is_nine() -> None:
    assert ref.count_parameters([2, 2, 1]) == 9


def test_forward_pass_matches_the_sheet(sheet) -> None:
    X, _, params = sheet
    Y_hat, cache = ref.forward(X, params)
    np.testing.assert_allclose(cache["A1"], [[0.5, 0.5], [0.5, 0.731], [0.731, 0.5], [0.731, 0.731]], atol=5e-4)
    np.testing.assert_allclose(cache["Z2"].ravel(), [0, -0.231, 0.231, 0], atol=5e-4)
    # The sheet prints 0.443 and 0.557 for 0.44249 and 0.55751.
    np.testing.assert_allclose(Y_hat.ravel(), [0.5, 0.443, 0.557, 0.5], atol=1e-3)


def test_empirical_risk_is_0_696(sheet) -> None:
    X, Y, params = sheet
    assert round(ref.risk(X, Y, params), 3) == 0.696
    assert ref.risk(X, Y, params) == pytest.approx(0.6964765384254519, rel=1e-12)


def test_gradients_match_the_sheet_in_parameter_layout(sheet) -> None:
    X, Y, params = sheet
    grads = ref.backward(X, Y, params, ref.forward(X, params)[1])
    # The sheet prints dL/dW1 and dL/dW2 transposed: (-0.046 -0.059; 0.052 0.052) and (-0.179 -0.186).
    np.testing.assert_allclose(grads["dW1"].T, [[-0.046, -0.059], [0.052, 0.052]], atol=5e-4)
    np.testing.assert_allclose(grads["db1"], [[-0.050, 0.048]], atol=5e-4)
    np.testing.assert_allclose(grads["dW2"].T, [[-0.179, -0.186]], atol=5e-4)
    np.testing.assert_allclose(grads["db2"], [[-0.25]], atol=1e-12)
    for name, grad in grads.items():
        assert grad.shape == params[name[1:]].shape


def test_one_step_matches_the_sheet(sheet) -> None:
    X, Y, params = sheet
    new = ref.gd_step(params, ref.backward(X, Y, params, ref.forward(X, params)[1]), 1.0)
    np.testing.assert_allclose(new["W1"], [[1.046, -0.052], [0.059, 0.948]], atol=5e-4)
    np.testing.assert_allclose(new["b1"], [[0.05, -0.048]], atol=5e-4)
    np.testing.assert_allclose(new["W2"], [[1.179], [-0.814]], atol=5e-4)
    np.testing.assert_allclose(new["b2"], [[0.25]], atol=1e-12)
    assert round(ref.risk(X, Y, new), 3) == 0.585
    assert ref.risk_after_step(X, Y, params, 1.0) == pytest.approx(0.5845456711694604, rel=1e-12)


def test_grad_W3_is_the_sheets_formula() -> None:
    rng = np.random.default_rng(1)
    x, y, W1, W2, W3 = rng.normal(size=3), 0.7, rng.normal(size=(4, 3)), rng.normal(size=(1, 4)), -1.3
    F = W3 * (W2 @ W1 @ x)[0]
    assert ref.grad_W3(x, y, W1, W2, W3) == pytest.approx(-2 * (y - F) * (W2 @ W1 @ x)[0], rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_grad_W3_agrees_with_finite_differences(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, y, W1, W2, W3 = rng.normal(size=3), rng.normal(), rng.normal(size=(2, 3)), rng.normal(size=(1, 2)), rng.normal()

    def loss(w: np.ndarray) -> float:
        return (y - ref.deep_linear_forward(x, [W1, W2, w.reshape(1, 1)])) ** 2

    assert rel_error(ref.grad_W3(x, y, W1, W2, W3), numerical_gradient(loss, np.array(W3))) < 1e-7


@pytest.mark.parametrize("shape", [(5, 3, 4), (7, 4, 2), (2, 2, 6)])
def test_backward_agrees_with_finite_differences(shape: tuple[int, int, int]) -> None:
    case = network_case(np.random.default_rng(sum(shape)), *shape)
    grads = ref.backward(case.X, case.Y, case.params, ref.forward(case.X, case.params)[1])
    numerical = numerical_grads(case.X, case.Y, case.params)
    for name, grad in grads.items():
        assert rel_error(grad, numerical[name]) < 1e-6, name


def test_gd_step_leaves_its_inputs_alone(sheet) -> None:
    X, Y, params = sheet
    grads = ref.backward(X, Y, params, ref.forward(X, params)[1])
    before = {key: value.copy() for key, value in params.items()}
    ref.gd_step(params, grads, 0.5)
    for key, value in before.items():
        np.testing.assert_array_equal(params[key], value)


def test_sigmoid_is_finite_and_quiet_for_large_inputs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = ref.sigmoid(np.array([-800.0, 0.0, 800.0]))
    np.testing.assert_allclose(values, [0.0, 0.5, 1.0])


def test_public_sheet_constants_are_the_reference_values(sheet) -> None:
    X, Y, params = sheet
    Y_hat, cache = ref.forward(X, params)
    grads = ref.backward(X, Y, params, cache)
    for key, value in cache.items():
        np.testing.assert_array_equal(selfcheck.SHEET_CACHE[key], value)
    assert selfcheck.SHEET_RISK == ref.cross_entropy(Y, Y_hat)
    for key, value in grads.items():
        np.testing.assert_allclose(selfcheck.SHEET_GRADS[key], value, rtol=ROUNDING, atol=1e-17)
    for key, value in ref.gd_step(params, grads, selfcheck.SHEET_LR).items():
        np.testing.assert_allclose(selfcheck.SHEET_NEW_PARAMS[key], value, rtol=ROUNDING, atol=1e-17)
    assert selfcheck.SHEET_NEW_RISK == ref.risk_after_step(X, Y, params, selfcheck.SHEET_LR)
    x, y, W1, W2, W3 = selfcheck.LINEAR_EXAMPLE
    assert selfcheck.LINEAR_GRAD_W3 == ref.grad_W3(x, y, W1, W2, W3)


def test_mistake_models_reproduce_the_known_wrong_risks(sheet) -> None:
    X, Y, params = sheet
    risks = mistakes.new_risk_variants(X, Y, params, 1.0)
    assert round(len(X) * ref.risk(X, Y, params), 3) == 2.786  # summing instead of averaging, part c
    assert round(risks["missing_1_over_n"], 4) == 0.5788
    assert round(risks["gradient_ascent"], 4) == 0.8749
    assert round(risks["transposed"], 4) == 0.5939
    assert round(risks["sigmoid_prime_at_Z"], 4) == 0.5950


def test_public_second_network_constants_are_the_reference_values() -> None:
    X, Y, params = selfcheck.second_data()
    Y_hat, cache = ref.forward(X, params)
    grads = ref.backward(X, Y, params, cache)
    expected = {
        "cache": (selfcheck.SECOND_CACHE, cache),
        "grads": (selfcheck.SECOND_GRADS, grads),
        "new_params": (selfcheck.SECOND_NEW_PARAMS, ref.gd_step(params, grads, selfcheck.SECOND_LR)),
    }
    for stored, computed in expected.values():
        assert stored.keys() == computed.keys()
        for key, value in computed.items():
            np.testing.assert_allclose(stored[key], value, rtol=ROUNDING, atol=1e-17)
    assert selfcheck.SECOND_RISK == ref.cross_entropy(Y, Y_hat)
    zero = {key: np.zeros_like(params[key]) for key in ("b1", "b2")}
    without = {"b1": {"b1": zero["b1"]}, "b2": {"b2": zero["b2"]}, "both": zero}
    for form, replaced in without.items():
        variant = ref.forward(X, {**params, **replaced})[1]
        for key, value in variant.items():
            stored = selfcheck.SECOND_FORWARD_VARIANTS[f"forgot_bias#{form}"][key]
            np.testing.assert_allclose(stored, value, rtol=ROUNDING)


def test_the_second_network_is_not_degenerate() -> None:
    X, Y, params = selfcheck.second_data()
    (n, d), h = X.shape, params["W1"].shape[1]
    assert (
        n != 4 and d != h and h != 2 and selfcheck.SECOND_LR != 1 and set(Y.ravel()) == {0.0, 1.0}
    )  # h: not the sheet's
    assert np.all(params["b1"] != 0) and np.all(params["b2"] != 0)


def assert_same(stored: object, computed: object) -> None:
    if isinstance(computed, dict):
        assert set(stored) == set(computed)
        for key, value in computed.items():
            assert_same(stored[key], value)
    else:
        np.testing.assert_allclose(np.asarray(stored, dtype=float), np.asarray(computed, dtype=float), rtol=ROUNDING)


def equals_right(variant: object, right: object) -> bool:
    if isinstance(variant, dict):
        return all(np.allclose(variant[key], right[key]) for key in variant if key in right)
    return bool(np.allclose(variant, right))


@pytest.mark.parametrize("instance", ["SHEET", "SECOND"])
def test_public_mistake_values_are_the_mistake_models(instance: str) -> None:
    """The self-check's known wrong results are the grader's models on the same numbers (those the
    instance makes equal to the right result are left out: they cannot be told apart)."""
    X, Y, params = selfcheck.sheet_data() if instance == "SHEET" else selfcheck.second_data()
    cache, risk, grads = (getattr(selfcheck, f"{instance}_{name}") for name in ("CACHE", "RISK", "GRADS"))
    models = {
        "FORWARD": (mistakes.forward_variants(X, params), cache),
        "CROSS_ENTROPY": (mistakes.cross_entropy_variants(Y, cache["A2"]), risk),
        "BACKWARD": (mistakes.backward_variants(X, Y, params), grads),
    }
    if instance == "SHEET":
        models["NEW_RISK"] = (mistakes.new_risk_variants(X, Y, params, 1.0), selfcheck.SHEET_NEW_RISK)
    for name, (computed, right) in models.items():
        stored = getattr(selfcheck, f"{instance}_{name}_VARIANTS")
        assert_same(stored, {key: value for key, value in computed.items() if key in stored})
        assert all(equals_right(value, right) for key, value in computed.items() if key not in stored), name


def test_the_public_large_sigmoid_values_are_the_reference_values() -> None:
    np.testing.assert_allclose(selfcheck.LARGE_A, ref.sigmoid(selfcheck.LARGE_Z), rtol=ROUNDING, atol=1e-300)


def test_gradient_check_tells_right_gradients_from_wrong_ones(sheet, capsys) -> None:
    X, Y, params = sheet
    grads = ref.backward(X, Y, params, ref.forward(X, params)[1])
    risk = lambda p: ref.cross_entropy(Y, ref.forward(X, p)[0])  # noqa: E731 - as a student writes it
    assert max(selfcheck.gradient_check(risk, params, grads).values()) < 1e-7
    wrong = selfcheck.gradient_check(risk, params, {**grads, "dW1": grads["dW1"].T})
    assert wrong["dW1"] > 1e-2 and max(wrong[key] for key in ("db1", "dW2", "db2")) < 1e-7
    assert capsys.readouterr().out.count("✗ check this one") == 1

"""The reference solution reproduces every number of the sheet and agrees with finite differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograder.assignments.sheet12 import reference as ref
from autograder.assignments.sheet12.cases import network_case
from autograder.assignments.sheet12.checks import numerical_grads
from autograder.assignments.sheet12.public import selfcheck
from autograder.grading.selfcheck_kit import numerical_gradient, rel_error

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


def test_the_sheets_given_values_are_the_reference_rounded_and_agree_with_the_sheet(sheet) -> None:
    """What comes with the notebook about the sheet: the reference's values to 4 decimals (the
    sheet prints 3), which round to the sheet's own numbers, and the new risk as the sheet prints it."""
    X, Y, params = sheet
    given = selfcheck.EXPECTED["networks"]["sheet"]
    cache = ref.forward(X, params)[1]
    grads = ref.backward(X, Y, params, cache)
    for computed, stored in ((cache, given["cache"]), (grads, given["grads"])):
        for key, value in computed.items():
            np.testing.assert_array_equal(stored[key], np.round(value, 4) + 0.0)
    assert given["risk"] == round(ref.cross_entropy(Y, cache["A2"]), 4)
    assert abs(given["risk"] - 0.696) <= 5e-4 + 1e-12 and selfcheck.EXPECTED["new_risk"] == 0.585
    np.testing.assert_array_equal(np.round(given["grads"]["dW2"].T, 3), [[-0.179, -0.186]])
    np.testing.assert_array_equal(np.round(given["new_params"]["W1"], 3), [[1.046, -0.052], [0.059, 0.948]])


def test_the_second_networks_values_are_the_reference_values_in_full() -> None:
    X, Y, params = selfcheck.network_data("second")
    given = selfcheck.EXPECTED["networks"]["second"]
    cache = ref.forward(X, params)[1]
    grads = ref.backward(X, Y, params, cache)
    assert_same(given["cache"], cache)
    assert_same(given["grads"], grads)
    assert_same(given["new_params"], ref.gd_step(params, grads, selfcheck.NETWORKS["second"]["lr"]))
    assert_same(
        given["forward_variants"]["forgot_bias#both"],
        ref.forward(X, {**params, "b1": 0 * params["b1"], "b2": 0 * params["b2"]})[1],
    )


def test_the_second_network_is_not_degenerate() -> None:
    X, Y, params = selfcheck.network_data("second")
    (n, d), h = X.shape, params["W1"].shape[1]
    lr = selfcheck.NETWORKS["second"]["lr"]
    assert n != 4 and d != h and h != 2 and lr != 1 and set(Y.ravel()) == {0.0, 1.0}  # h: not the sheet's
    assert np.all(params["b1"] != 0) and np.all(params["b2"] != 0)


def test_the_public_cases_vary_what_the_hidden_ones_vary() -> None:
    """Depth, number of layers, input dimension, n and hidden units all take several values in
    public, so a function written for the sheet's sizes only fails its self-check."""
    assert {len(weights) for _, weights in selfcheck.DEPTH_EXAMPLES} == {1, 2, 3, 4}
    assert {len(sizes) for sizes in selfcheck.LAYER_SIZES} == {2, 3, 4}
    assert len({len(x) for x, *_ in selfcheck.LINEAR_EXAMPLES}) == 2
    shapes = {(len(n["X"]), len(n["X"][0]), len(n["params"]["W2"])) for n in selfcheck.NETWORKS.values()}
    assert len({n for n, _, _ in shapes}) == len({d for _, d, _ in shapes}) == len({h for _, _, h in shapes}) == 2


def assert_same(stored: object, computed: object) -> None:
    if isinstance(computed, dict):
        assert set(stored) == set(computed)
        for key, value in computed.items():
            assert_same(stored[key], value)
    else:
        np.testing.assert_allclose(np.asarray(stored, dtype=float), np.asarray(computed, dtype=float), rtol=ROUNDING)


def test_gradient_check_tells_right_gradients_from_wrong_ones(sheet, capsys) -> None:
    X, Y, params = sheet
    grads = ref.backward(X, Y, params, ref.forward(X, params)[1])
    risk = lambda p: ref.cross_entropy(Y, ref.forward(X, p)[0])  # noqa: E731 - as a student writes it
    assert max(selfcheck.gradient_check(risk, params, grads).values()) < 1e-7
    wrong = selfcheck.gradient_check(risk, params, {**grads, "dW1": grads["dW1"].T})
    assert wrong["dW1"] > 1e-2 and max(wrong[key] for key in ("db1", "dW2", "db2")) < 1e-7
    assert capsys.readouterr().out.count("✗ check this one") == 1
    transposed = selfcheck.gradient_check(risk, params, {**grads, "dW2": grads["dW2"].T})
    assert transposed["dW2"] == float("inf")
    assert "dW2: shape (1, 2), but W2 has shape (2, 1) ✗" in capsys.readouterr().out

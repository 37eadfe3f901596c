"""Models of the common mistakes: what a submission with each one returns on any input.

Keys are the mistake names of ``selfcheck.MISTAKES`` (optionally ``name#form``). A check
compares a wrong result with these predictions to tell the student which mistake it sees
(the build writes them for the public cases into ``selfcheck_values.py``); values hidden by
the sheet's numbers (b1 = 0, W1 = I) show up on other inputs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np

from autograder.assignments.sheet12 import reference as ref

Arrays = dict[str, np.ndarray]


def deep_linear_forward_variants(x: np.ndarray, weights: list[np.ndarray]) -> dict[str, float]:
    """F(x) without the last layer."""
    return {"drops_last_layer": ref.deep_linear_forward(x, weights[:-1])}


def grad_W3_variants(x: np.ndarray, y: float, W1: np.ndarray, W2: np.ndarray, W3: float) -> dict[str, float]:
    """Wrong factors in -2 (y - F(x)) W2 W1 x."""
    grad = ref.grad_W3(x, y, W1, W2, W3)
    residual = y - W3 * float((W2 @ W1 @ x)[0])
    return {"missing_factor_2": grad / 2, "wrong_sign": -grad, "missing_inner_derivative": -2.0 * residual}


def count_parameters_variants(layer_sizes: list[int]) -> dict[str, int]:
    """Counting the weights only."""
    return {"weights_only": sum(a * b for a, b in itertools.pairwise(layer_sizes))}


def sigmoid_variants(Z: np.ndarray) -> Arrays:
    """1 / (1 + exp(Z))."""
    return {"wrong_sign": ref.sigmoid(-Z)}


def forward_variants(X: np.ndarray, params: Mapping[str, np.ndarray]) -> dict[str, Arrays]:
    """Caches of a forward pass without a bias, with X @ W1.T, or without the output sigmoid."""
    zero = {key: np.zeros_like(params[key]) for key in ("b1", "b2")}
    variants = {
        "forgot_bias#both": ref.forward(X, {**params, **zero})[1],
        "forgot_bias#b1": ref.forward(X, {**params, "b1": zero["b1"]})[1],
        "forgot_bias#b2": ref.forward(X, {**params, "b2": zero["b2"]})[1],
    }
    if params["W1"].shape[0] == params["W1"].shape[1]:
        variants["weights_transposed"] = ref.forward(X, {**params, "W1": params["W1"].T})[1]
    cache = ref.forward(X, params)[1]
    variants["no_output_sigmoid"] = {**cache, "A2": cache["Z2"]}
    return variants


def scaled_variants(expected: object, n: int, factor_mistake: str) -> dict[str, np.ndarray]:
    """Mistakes that show as a simple transformation of the right answer: ``factor_mistake``
    for a result n times too large, ``wrong_sign``, and ``transposed`` for a matrix."""
    expected = np.asarray(expected, dtype=float)
    variants = {factor_mistake: n * expected, "wrong_sign": -expected}
    if expected.ndim == 2 and expected.size > 1:
        variants["transposed"] = expected.T
    return variants


def cross_entropy_variants(Y: np.ndarray, Y_hat: np.ndarray) -> dict[str, float]:
    """Summing, log10, a flipped sign and the (n,) against (n, 1) broadcast."""
    loss = ref.cross_entropy(Y, Y_hat)
    return {
        **scaled_variants(loss, len(Y), "sum_instead_of_mean"),
        "log10": loss / math.log(10),
        "broadcast_n1_vs_n#Y_hat": ref.cross_entropy(Y, Y_hat.T),
        "broadcast_n1_vs_n#Y": ref.cross_entropy(Y.T, Y_hat),
    }


def grads_variants(grads: Mapping[str, np.ndarray], n: int) -> dict[str, Arrays]:
    """:func:`scaled_variants` of every gradient, grouped by mistake."""
    variants: dict[str, Arrays] = {}
    for key, grad in grads.items():
        for mistake, value in scaled_variants(grad, n, "missing_1_over_n").items():
            variants.setdefault(mistake, {})[key] = value
    return variants


def step_variants(params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float) -> dict[str, Arrays]:
    """Parameters after the common wrong updates."""
    return {
        "gradient_ascent": {k: p + lr * grads["d" + k] for k, p in params.items()},
        "ignores_lr": {k: p - grads["d" + k] for k, p in params.items()},
        "transposed": {k: p - lr * grads["d" + k].T for k, p in params.items() if p.shape == p.T.shape},
    }


def _hidden_grads(X: np.ndarray, Y: np.ndarray, params: Mapping[str, np.ndarray], slope: np.ndarray) -> Arrays:
    """dW1 and db1 computed with a given (possibly wrong) sigmoid'(Z1)."""
    dZ1 = ref.hidden_delta(ref.output_delta(Y, ref.forward(X, params)[0]), params["W2"], slope)
    dW1, db1 = ref.layer_grads(X, dZ1)
    return {"dW1": dW1, "db1": db1}


def backward_variants(X: np.ndarray, Y: np.ndarray, params: Mapping[str, np.ndarray]) -> dict[str, Arrays]:
    """Gradients transposed, without 1/n, with the wrong sign or sigmoid', or biases not summed."""
    cache = ref.forward(X, params)[1]
    grads = ref.backward(X, Y, params, cache)
    A1, Z1 = cache["A1"], cache["Z1"]
    dZ2 = ref.output_delta(Y, cache["A2"])
    dZ1 = ref.hidden_delta(dZ2, params["W2"], A1 * (1 - A1))
    return {
        **grads_variants(grads, len(X)),
        "sigmoid_prime_at_Z": {**grads, **_hidden_grads(X, Y, params, Z1 * (1 - Z1))},
        "sigmoid_prime_of_A": {**grads, **_hidden_grads(X, Y, params, ref.sigmoid(A1) * (1 - ref.sigmoid(A1)))},
        "bias_not_summed": {**grads, "db1": dZ1, "db2": dZ2},
    }

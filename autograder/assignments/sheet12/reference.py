"""Reference NumPy solutions for sheet 12: the one implementation of every answer.

Everything that needs a correct value (hidden checks, mistake models, the public
self-check constants, the tests) computes it here. Conventions follow the sheet:
samples are rows, ``X`` is ``(n, d)``, ``W1`` is ``(d, h)``, ``b1`` is ``(1, h)``,
``W2`` is ``(h, 1)``, ``b2`` is ``(1, 1)``; gradients are shaped like their parameters.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np

Params = Mapping[str, np.ndarray]

#: T12.1.1: K=1 is linear regression; minimisers are never unique; depth adds no
#: expressiveness; W_K cannot be a matrix with both dimensions > 1.
STATEMENT_ANSWERS: tuple[bool, bool, bool, bool] = (True, True, True, False)


def deep_linear_forward(x: np.ndarray, weights: Sequence[np.ndarray]) -> float:
    """F(x) = W_K ... W_1 x for a deep linear network with scalar output."""
    out = np.asarray(x, dtype=float)
    for weight in weights:
        out = np.asarray(weight, dtype=float) @ out
    return float(out.reshape(-1)[0])


def grad_W3(x: np.ndarray, y: float, W1: np.ndarray, W2: np.ndarray, W3: float) -> float:
    """d/dW3 of (y - W3 W2 W1 x)^2 for a scalar W3: -2 (y - F(x)) W2 W1 x."""
    hidden = float((np.asarray(W2, dtype=float) @ np.asarray(W1, dtype=float) @ np.asarray(x, dtype=float))[0])
    return -2.0 * (float(y) - float(W3) * hidden) * hidden


def count_parameters(layer_sizes: Sequence[int]) -> int:
    """Weights plus biases of a fully connected network with these layer widths."""
    return int(sum(n_in * n_out + n_out for n_in, n_out in itertools.pairwise(layer_sizes)))


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """Logistic function, evaluated without overflow for large |Z|."""
    Z = np.asarray(Z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -Z))


def forward(X: np.ndarray, params: Params) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Forward pass of the 2-layer sigmoid network; returns Y_hat (n, 1) and the cache."""
    Z1 = X @ params["W1"] + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def cross_entropy(Y: np.ndarray, Y_hat: np.ndarray) -> float:
    """Mean binary cross-entropy with the natural log."""
    return float(-np.mean(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))


def output_delta(Y: np.ndarray, A2: np.ndarray) -> np.ndarray:
    """dL/dZ2 for sigmoid output and mean cross-entropy: (A2 - Y) / n."""
    return (A2 - Y) / Y.shape[0]


def hidden_delta(dZ2: np.ndarray, W2: np.ndarray, sigmoid_slope: np.ndarray) -> np.ndarray:
    """dL/dZ1 from the output delta and sigmoid'(Z1) (= A1 (1 - A1))."""
    return (dZ2 @ W2.T) * sigmoid_slope


def layer_grads(inputs: np.ndarray, delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weight and bias gradients of a dense layer from its inputs and dL/dZ."""
    return inputs.T @ delta, delta.sum(axis=0, keepdims=True)


def backward(X: np.ndarray, Y: np.ndarray, params: Params, cache: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Gradients of the mean cross-entropy, each shaped like its parameter."""
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = output_delta(Y, A2)
    dZ1 = hidden_delta(dZ2, params["W2"], A1 * (1 - A1))
    dW1, db1 = layer_grads(X, dZ1)
    dW2, db2 = layer_grads(A1, dZ2)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def gd_step(params: Params, grads: Mapping[str, np.ndarray], lr: float) -> dict[str, np.ndarray]:
    """One gradient-descent step; returns new arrays and leaves the inputs alone."""
    return {name: value - lr * grads["d" + name] for name, value in params.items()}


def risk(X: np.ndarray, Y: np.ndarray, params: Params) -> float:
    """Empirical risk of the network on (X, Y)."""
    return cross_entropy(Y, forward(X, params)[0])


def risk_after_step(X: np.ndarray, Y: np.ndarray, params: Params, lr: float) -> float:
    """Risk after one full-batch gradient-descent step with learning rate lr."""
    _, cache = forward(X, params)
    return risk(X, Y, gd_step(params, backward(X, Y, params, cache), lr))

"""Reference NumPy solutions for the warm-up: the one implementation of every answer.

Everything that needs a correct value (hidden checks, mistake models, the public
self-check constants, the tests) computes it here. Samples are rows: ``X`` is ``(n, d)``,
``W`` is ``(d, k)``, ``b`` is ``(1, k)`` and the scores ``Z`` are ``(n, k)``.
"""

from __future__ import annotations

import numpy as np


def center_columns(X: np.ndarray) -> np.ndarray:
    """X minus its column means: every column of the result has mean 0."""
    X = np.asarray(X, dtype=float)
    return X - X.mean(axis=0, keepdims=True)


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """Logistic function, element-wise for any shape, without overflow for large |Z|."""
    Z = np.asarray(Z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -Z))


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of an (n, k) array, computed after subtracting each row's maximum."""
    Z = np.asarray(Z, dtype=float)
    exponentials = np.exp(Z - Z.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def predict_proba(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Class probabilities of a linear softmax classifier: softmax(X @ W + b), shape (n, k)."""
    return softmax(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float))

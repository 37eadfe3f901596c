"""Centered finite differences: the ground truth the hidden gradient checks compare with."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

EPS = 1e-6


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = EPS) -> np.ndarray:
    """d f / d x by centered differences, one entry at a time; ``x`` is left unchanged."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        upper = f(x.copy())
        x[index] = original - eps
        lower = f(x.copy())
        x[index] = original
        grad[index] = (upper - lower) / (2 * eps)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """CS231n's relative error max|a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

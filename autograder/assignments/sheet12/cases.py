"""Sheet 12's hidden inputs: random instances the student never sees, unlike the sheet's.

They differ from the sheet where its numbers hide mistakes: n != 4, d != h, non-zero
biases, non-symmetric weights, lr != 1, both label classes in every Y. One square
(d == h) network case keeps transposition mistakes recognisable by value.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from autograder.assignments.sheet12.public import selfcheck

#: (n, d, h) of the hidden network cases.
NETWORK_SHAPES: tuple[tuple[int, int, int], ...] = ((6, 3, 3), (5, 3, 4), (7, 4, 2))
#: Hidden layer widths for count_parameters.
LAYER_SIZES: tuple[list[int], ...] = ([3, 4, 2], [5, 1], [4, 6, 6, 1], [2, 3, 3, 3, 1])
#: (d0, d1) of the hidden deep-linear cases.
LINEAR_SHAPES: tuple[tuple[int, int], ...] = ((3, 4), (2, 5), (4, 2))


@dataclass(frozen=True)
class NetworkCase:
    """Inputs of the 2-layer network functions."""

    X: np.ndarray
    Y: np.ndarray
    params: dict[str, np.ndarray]
    lr: float

    def describe(self) -> str:
        """Where a problem happened, without printing the hidden numbers."""
        n, d = self.X.shape
        return f"on hidden case (n={n}, d={d}, h={self.params['W1'].shape[1]}, lr={self.lr:.3g})"


def network_case(rng: np.random.Generator, n: int, d: int, h: int) -> NetworkCase:
    """Random data with both label classes (so n >= 2) and random non-zero parameters."""
    Y = rng.integers(0, 2, size=(n, 1)).astype(float)
    Y[:2] = [[0.0], [1.0]]
    params = {
        "W1": rng.normal(size=(d, h)),
        "b1": rng.normal(size=(1, h)),
        "W2": rng.normal(size=(h, 1)),
        "b2": rng.normal(size=(1, 1)),
    }
    return NetworkCase(X=rng.normal(size=(n, d)), Y=Y, params=params, lr=float(rng.uniform(0.05, 0.9)))


def network_cases(rng: np.random.Generator) -> list[NetworkCase]:
    """One case per shape in :data:`NETWORK_SHAPES`."""
    return [network_case(rng, *shape) for shape in NETWORK_SHAPES]


def wide_network_case(rng: np.random.Generator) -> NetworkCase:
    """A wide network (the public cost check's shape), weights scaled so that the units do not
    saturate."""
    case = network_case(rng, *selfcheck.WIDE_SHAPE)
    for key in ("W1", "W2"):
        case.params[key] /= np.sqrt(case.params[key].shape[0])
    return case


@dataclass(frozen=True)
class LinearCase:
    """Inputs of the T12.1.2 functions: a depth-3 linear network with scalar W3."""

    x: np.ndarray
    y: float
    W1: np.ndarray
    W2: np.ndarray
    W3: float

    def describe(self) -> str:
        """Where a problem happened."""
        return f"on hidden case (d0={self.W1.shape[1]}, d1={self.W1.shape[0]})"


def linear_cases(rng: np.random.Generator) -> list[LinearCase]:
    """One case per shape in :data:`LINEAR_SHAPES`."""
    return [
        LinearCase(
            x=rng.normal(size=d0),
            y=float(rng.normal()),
            W1=rng.normal(size=(d1, d0)),
            W2=rng.normal(size=(1, d1)),
            W3=float(rng.normal()),
        )
        for d0, d1 in LINEAR_SHAPES
    ]


def deep_weights(rng: np.random.Generator, widths: list[int]) -> list[np.ndarray]:
    """Weights [W1, ..., WK] of a deep linear network with these widths (the last is 1)."""
    return [rng.normal(size=(n_out, n_in)) for n_in, n_out in itertools.pairwise(widths)]


def sigmoid_inputs(rng: np.random.Generator) -> list[np.ndarray]:
    """Arrays of several shapes, one with values large enough to overflow a naive exp."""
    return [rng.normal(scale=3.0, size=(5, 3)), rng.normal(size=(1, 7)), np.array([[-800.0, -30.0, 0.0, 30.0, 800.0]])]

"""The warm-up's hidden checks: one function per autograded cell, free of notebook state.

Each check takes the student's answers as a mapping of names to callables (how they got
there is the runner's business) and a random generator for the hidden inputs, and returns a
:class:`Verdict`. It first re-runs the public self-check on the notebook's examples, then
tries hidden cases of other shapes with their expected values withheld, and stops at the
first case that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from autograder.assignments.warmup import mistakes
from autograder.assignments.warmup import reference as ref
from autograder.assignments.warmup.public import selfcheck
from autograder.grading.verdict import Verdict, first_failure, missing

Problem = selfcheck.Problem
Student = Mapping[str, Any]
Attempt = Callable[[], list[Problem]]

#: (n, d) of the hidden data for center_columns (one square, so that broadcasting mistakes show by value).
CENTER_SHAPES: tuple[tuple[int, int], ...] = ((5, 3), (2, 6), (4, 4))
#: (n, k) of the hidden scores for softmax, and the size of each case's row offsets (alternating in sign).
SOFTMAX_SHAPES: tuple[tuple[int, int, float], ...] = ((4, 5, 0.0), (6, 2, 1000.0), (3, 3, 5.0))
#: (n, d, k) of the hidden classifiers, and an offset of their biases (900: every score near 900).
CLASSIFIER_SHAPES: tuple[tuple[int, int, int, float], ...] = ((5, 3, 4, 0.0), (4, 2, 2, 0.0), (6, 4, 3, 900.0))


def _hidden(shape: tuple[int, ...]) -> str:
    return f"on a hidden {shape} input"


def center_columns_inputs(rng: np.random.Generator) -> list[np.ndarray]:
    """Data whose column means are between 2 and 6 in size, with alternating signs."""
    inputs = []
    for n, d in CENTER_SHAPES:
        noise = rng.normal(scale=2.0, size=(n, d))
        means = np.resize([1.0, -1.0], d) * rng.uniform(2.0, 6.0, size=d)
        inputs.append(noise - noise.mean(axis=0) + means)
    return inputs


def sigmoid_inputs(rng: np.random.Generator) -> list[np.ndarray]:
    """A vector, a 3-d array and a row with values that overflow a naive np.exp."""
    large = np.array([[-900.0, -750.0, -40.0, 0.0, 40.0, 750.0, 900.0]]) * rng.uniform(1.0, 1.1)
    return [rng.normal(scale=3.0, size=4), rng.normal(scale=3.0, size=(2, 3, 2)), large]


def softmax_inputs(rng: np.random.Generator) -> list[np.ndarray]:
    """Scores of several shapes, each row shifted by its own offset (between 800 and 1000 in size, with
    alternating signs, in one case: a naive np.exp overflows there)."""
    inputs = []
    for n, k, size in SOFTMAX_SHAPES:
        offsets = size * np.resize([1.0, -1.0], (n, 1)) * rng.uniform(0.8, 1.0, size=(n, 1))
        inputs.append(rng.normal(scale=2.0, size=(n, k)) + offsets)
    return inputs


def classifier_inputs(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(X, W, b) of several shapes, with non-zero biases (in one case all near 900)."""
    return [
        (rng.normal(size=(n, d)), rng.normal(size=(d, k)), offset + rng.normal(scale=2.0, size=(1, k)))
        for n, d, k, offset in CLASSIFIER_SHAPES
    ]


def check_center_columns(student: Student, rng: np.random.Generator) -> Verdict:
    """W.1: data of other shapes, one of them square."""
    fn = student.get("center_columns")
    hidden = [
        (
            lambda X=X: selfcheck.center_columns_case(
                fn, X, ref.center_columns(X), mistakes.center_columns_variants(X), _hidden(X.shape)
            )
        )
        for X in center_columns_inputs(rng)
    ]
    return missing(student, "center_columns") or first_failure(lambda: selfcheck.center_columns_problems(fn), hidden)


def check_sigmoid(student: Student, rng: np.random.Generator) -> Verdict:
    """W.2: a 1-d, a 3-d and a large-valued input."""
    fn = student.get("sigmoid")
    hidden = [
        (lambda Z=Z: selfcheck.sigmoid_case(fn, Z, ref.sigmoid(Z), mistakes.sigmoid_variants(Z), _hidden(Z.shape)))
        for Z in sigmoid_inputs(rng)
    ]
    return missing(student, "sigmoid") or first_failure(lambda: selfcheck.sigmoid_problems(fn), hidden)


def check_softmax(student: Student, rng: np.random.Generator) -> Verdict:
    """W.3: scores of other shapes, rows far apart, one square case."""
    fn = student.get("softmax")
    hidden = [
        (lambda Z=Z: selfcheck.softmax_case(fn, Z, ref.softmax(Z), mistakes.softmax_variants(Z), _hidden(Z.shape)))
        for Z in softmax_inputs(rng)
    ]
    return missing(student, "softmax") or first_failure(lambda: selfcheck.softmax_problems(fn), hidden)


def check_predict_proba(student: Student, rng: np.random.Generator) -> Verdict:
    """W.3: other classifiers, one with scores near 900 (a correct softmax stands in for the student's)."""
    fn = student.get("predict_proba")

    def case(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> Attempt:
        expected, variants = ref.predict_proba(X, W, b), mistakes.predict_proba_variants(X, W, b)
        where = f"on a hidden case (n={X.shape[0]}, d={X.shape[1]}, k={W.shape[1]})"
        return lambda: selfcheck.predict_proba_case(fn, (X, W, b), expected, variants, where)

    hidden = [case(*args) for args in classifier_inputs(rng)]
    return missing(student, "predict_proba") or first_failure(lambda: selfcheck.predict_proba_problems(fn), hidden)

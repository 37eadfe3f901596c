"""Models of the common mistakes: what a submission with each one returns on any input.

Keys are the mistake names of ``selfcheck.MISTAKES`` (optionally ``name#form``). A hidden
check compares a wrong result with these predictions to tell the student which mistake it
sees. (Results with nan or inf, the ``unstable`` mistake, are recognised by the self-check.)
"""

from __future__ import annotations

import numpy as np

from autograder.assignments.warmup import reference as ref

Arrays = dict[str, np.ndarray]


def center_columns_variants(X: np.ndarray) -> Arrays:
    """Row means, the mean of everything, the mean minus X, and (square X) row means broadcast as a row."""
    variants = {
        "rows_not_columns": X - X.mean(axis=1, keepdims=True),
        "global_mean": X - X.mean(),
        "wrong_sign": X.mean(axis=0, keepdims=True) - X,
    }
    if X.shape[0] == X.shape[1]:
        variants["missing_keepdims"] = X - X.mean(axis=1)[np.newaxis, :]
    return variants


def sigmoid_variants(Z: np.ndarray) -> Arrays:
    """1 / (1 + exp(Z))."""
    return {"wrong_sign": ref.sigmoid(-Z)}


def softmax_variants(Z: np.ndarray) -> Arrays:
    """The softmax of every column, the row-shifted exponentials without the division and
    (square Z) the row sums, the row maxima or both broadcast as a row."""
    exponentials = np.exp(Z - Z.max(axis=1, keepdims=True))
    variants = {
        "column_softmax": ref.softmax(Z.T).T,
        "not_normalised": exponentials,
    }
    if Z.shape[0] == Z.shape[1]:
        with np.errstate(over="ignore", invalid="ignore"):  # the maxima of other rows may overflow
            shifted = np.exp(Z - Z.max(axis=1)[np.newaxis, :])
            variants["missing_keepdims#sum"] = exponentials / exponentials.sum(axis=1)[np.newaxis, :]
            variants["missing_keepdims#max"] = shifted / shifted.sum(axis=1, keepdims=True)
            variants["missing_keepdims#both"] = shifted / shifted.sum(axis=1)[np.newaxis, :]
    return variants


def predict_proba_variants(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> Arrays:
    """The bias left out, and the softmax mistakes of a softmax written out again inside predict_proba."""
    return {"forgot_bias": ref.softmax(X @ W), **softmax_variants(X @ W + b)}

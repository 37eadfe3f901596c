"""Self-checks for the warm-up that students run in their notebook.

Each ``check_*`` function tests one of your functions on the notebook's examples, in the
order type, shape, value, and says what was expected, what came back and, when it
recognises one, which common mistake explains it. The comparisons come from
``selfcheck_kit.py`` next to this file; the course's hidden grader uses the same checks
on other inputs (other shapes, other numbers).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from selfcheck_kit import Checker, Problem, call, copied, fmt, report

#: Named mistakes the checks recognise, with the explanation a student reads.
MISTAKES: dict[str, str] = {
    "rows_not_columns": "the mean was taken over the rows (axis=1) instead of the columns: "
    "the column means are X.mean(axis=0)",
    "global_mean": "the mean of the whole array was subtracted: subtract each column's own mean",
    "wrong_sign": "the sign is flipped",
    "unstable": "np.exp overflowed for large inputs (np.exp(1000) is inf, and inf / inf is nan): "
    "only ever take np.exp of numbers <= 0 (subtract each row's maximum in the softmax)",
    "column_softmax": "the softmax was taken over the columns (axis=0) instead of over each row (axis=1): "
    "every row must sum to 1",
    "not_normalised": "the exponentials were not divided by their row sums, so the rows do not sum to 1",
    "missing_keepdims": "the row sums, of shape (n,), were broadcast along the last axis, so column j was "
    "divided by the sum of row j: keep them (n, 1) with keepdims=True",
    "forgot_bias": "the bias b was not added: the scores are X @ W + b",
}

check = Checker(MISTAKES)
CHECKED = "on the notebook's examples"
EXAMPLE = "on the notebook's example"


# --- One case of each function: the inputs, the right answer and the known wrong ones --------


def compare_finite(what: str, got: Any, expected: np.ndarray, variants: Mapping[str, np.ndarray]) -> list[Problem]:
    """Like ``check.compare_array``, and a result with nan or inf where the expected values are
    finite is the ``unstable`` mistake."""
    if (
        isinstance(got, np.ndarray)
        and np.issubdtype(got.dtype, np.number)
        and got.shape == expected.shape
        and not np.all(np.isfinite(got))
    ):
        return [check.mistake_problem(what, fmt(got), fmt(expected), "unstable")]
    return check.compare_array(what, got, expected, variants)


def center_columns_case(
    fn: Callable[..., Any], X: np.ndarray, expected: np.ndarray, variants: Mapping[str, np.ndarray], where: str
) -> list[Problem]:
    """``center_columns(X)``: an array shaped like X whose columns have mean 0."""
    value, problems = call("center_columns", fn, X)
    return problems or check.compare_array(f"center_columns(X) {where}", value, expected, variants)


def sigmoid_case(
    fn: Callable[..., Any], Z: np.ndarray, expected: np.ndarray, variants: Mapping[str, np.ndarray], where: str
) -> list[Problem]:
    """``sigmoid(Z)`` element-wise, shaped like Z, finite even for large |Z|."""
    value, problems = call("sigmoid", fn, Z)
    return problems or compare_finite(f"sigmoid(Z) {where}", value, expected, variants)


def softmax_case(
    fn: Callable[..., Any], Z: np.ndarray, expected: np.ndarray, variants: Mapping[str, np.ndarray], where: str
) -> list[Problem]:
    """``softmax(Z)`` of every row of an (n, k) array: (n, k), each row sums to 1."""
    value, problems = call("softmax", fn, Z)
    return problems or compare_finite(f"softmax(Z) {where}", value, expected, variants)


def predict_proba_case(
    fn: Callable[..., Any],
    args: tuple[np.ndarray, np.ndarray, np.ndarray],
    expected: np.ndarray,
    variants: Mapping[str, np.ndarray],
    where: str,
) -> list[Problem]:
    """``predict_proba(X, W, b)``: softmax(X @ W + b), shape (n, k)."""
    value, problems = call("predict_proba", fn, *args)
    return problems or compare_finite(f"predict_proba(X, W, b) {where}", value, expected, variants)


# --- The notebook's examples and their values at full precision -----------------------------

#: W.1: the column means are (3, 6).
CENTER_X = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
CENTERED = np.array([[-2.0, -4.0], [0.0, 0.0], [2.0, 4.0]])
CENTER_VARIANTS = {
    "rows_not_columns": np.array([[-0.5, 0.5], [-1.5, 1.5], [-2.5, 2.5]]),
    "global_mean": np.array([[-3.5, -2.5], [-1.5, 1.5], [0.5, 5.5]]),
    "wrong_sign": -CENTERED,
}

#: W.2: large |Z| on purpose (np.exp(1000) overflows).
SIGMOID_Z = np.array([[-1000.0, -1.0, 0.0], [1.0, 2.0, 1000.0]])
SIGMOID_VALUES = np.array([[0.0, 0.2689414213699951, 0.5], [0.7310585786300049, 0.8807970779778824, 1.0]])

#: W.3: the third row is the first plus 999, so both have the same softmax.
SOFTMAX_Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1000.0, 1001.0, 1002.0]])
_P123 = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
SOFTMAX_VALUES = np.array([_P123, [1 / 3, 1 / 3, 1 / 3], _P123])
SOFTMAX_VARIANTS = {
    "column_softmax": np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
    "not_normalised": np.array(
        [
            [0.1353352832366127, 0.36787944117144233, 1.0],
            [1.0, 1.0, 1.0],
            [0.1353352832366127, 0.36787944117144233, 1.0],
        ]
    ),
    "missing_keepdims": np.array(
        [
            [0.09003057317038046, 0.12262648039048078, 0.6652409557748218],
            [0.6652409557748218, 1 / 3, 0.6652409557748218],
            [0.09003057317038046, 0.12262648039048078, 0.6652409557748218],
        ]
    ),
}

#: W.3: scores X @ W + b = [[1, 0, 0], [0, 1, 2], [1, 1, 1]].
PREDICT_X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
PREDICT_W = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 1.0]])
PREDICT_b = np.array([[0.0, 0.0, 1.0]])
PREDICT_VALUES = np.array(
    [[0.5761168847658291, 0.21194155761708544, 0.21194155761708544], _P123, [1 / 3, 1 / 3, 1 / 3]]
)
PREDICT_VARIANTS = {
    "forgot_bias": np.array(
        [
            [0.6652409557748218, 0.24472847105479764, 0.09003057317038046],
            [0.15536240349696362, 0.4223187982515182, 0.4223187982515182],
            [0.4223187982515182, 0.4223187982515182, 0.15536240349696362],
        ]
    ),
}


def center_columns_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.1: the example's columns have means 3 and 6."""
    return center_columns_case(fn, CENTER_X, CENTERED, CENTER_VARIANTS, EXAMPLE)


def sigmoid_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.2: the example, including Z = -1000 and Z = 1000."""
    variants = {"wrong_sign": 1 - SIGMOID_VALUES}
    return sigmoid_case(fn, SIGMOID_Z, SIGMOID_VALUES, variants, EXAMPLE)


def softmax_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.3: three rows, one of them with entries around 1000."""
    return softmax_case(fn, SOFTMAX_Z, SOFTMAX_VALUES, SOFTMAX_VARIANTS, EXAMPLE)


def predict_proba_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.3: three points, two features, three classes."""
    args = (PREDICT_X, PREDICT_W, PREDICT_b)
    return predict_proba_case(fn, args, PREDICT_VALUES, PREDICT_VARIANTS, EXAMPLE)


def overflow_warnings(fn: Callable[..., Any], *args: Any) -> list[str]:
    """The warnings ``fn(*args)`` gives here (the checks compare values, which a warning does not change)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn", invalid="warn"):
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                fn(*copied(args))
            except Exception:
                return []
    return sorted({str(warning.message) for warning in caught})


# --- What the notebook calls ----------------------------------------------------------------


def check_center_columns(fn: Callable[..., Any]) -> None:
    """Self-check of ``center_columns``."""
    report("center_columns", center_columns_problems(fn), CHECKED)


def check_sigmoid(fn: Callable[..., Any]) -> None:
    """Self-check of ``sigmoid``; also says whether it warns about overflow on the example."""
    report("sigmoid", sigmoid_problems(fn), CHECKED)
    found = overflow_warnings(fn, SIGMOID_Z)
    if found:
        print(
            f"  But your sigmoid warns on the example ({'; '.join(found)}): np.exp of a large number overflows."
            " The values happen to be right; make it overflow-free (see the hint above)."
        )


def check_softmax(fn: Callable[..., Any]) -> None:
    """Self-check of ``softmax``."""
    report("softmax", softmax_problems(fn), CHECKED)


def check_predict_proba(fn: Callable[..., Any]) -> None:
    """Self-check of ``predict_proba`` (with your own ``softmax``: check that one first)."""
    report("predict_proba", predict_proba_problems(fn), CHECKED)

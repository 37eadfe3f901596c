"""Self-checks for the warm-up that students run in their notebook.

Each ``check_*`` function tests one of your functions on the notebook's examples, in the
order type, shape, value, and says what was expected, what came back and, when it
recognises one, which common mistake explains it. A function is judged on its own: while
``predict_proba`` is checked, ``softmax`` gives its right results on the check's scores. The
comparisons come from ``selfcheck_kit.py`` and the expected values from ``selfcheck_values.py``,
both next to this file; the course's hidden grader uses the same checks on other inputs (other
shapes, other numbers).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
from selfcheck_kit import (
    Checker,
    Problem,
    call,
    fmt,
    helpers_replaced,
    self_check,
    warnings_of,
)
from selfcheck_kit import (  # for students: from selfcheck import check_all
    check_all as check_all,
)
from selfcheck_values import EXPECTED

#: Named mistakes the checks recognise, with the explanation a student reads.
MISTAKES: dict[str, str] = {
    "rows_not_columns": "the mean was taken over the rows (axis=1) instead of the columns: "
    "the column means are X.mean(axis=0)",
    "global_mean": "the mean of the whole array was subtracted: subtract each column's own mean",
    "wrong_sign": "the sign is flipped",
    "unstable": "np.exp overflowed for large inputs (np.exp(1000) is inf, and inf / inf is nan): "
    "arrange the computation so that np.exp only ever gets numbers <= 0",
    "column_softmax": "the softmax was taken over the columns (axis=0) instead of over each row (axis=1): "
    "every row must sum to 1",
    "not_normalised": "the exponentials were not divided by their row sums, so the rows do not sum to 1",
    "missing_keepdims": "the row maxima or the row sums, of shape (n,), were broadcast along the last axis, so "
    "column j got the value of row j: keep them (n, 1) with keepdims=True",
    "forgot_bias": "the bias b was not added: the scores are X @ W + b",
}

check = Checker(MISTAKES)
CHECKED = "on the notebook's examples"
EXAMPLE = "on the notebook's example"
NEAR_900 = "on the notebook's example with biases near 900"

#: The notebook's functions that each function may call. While a function is checked, they give
#: their right results on the check's inputs, as in the grader.
DEPENDENCIES: dict[str, tuple[str, ...]] = {"predict_proba": ("softmax",)}

# --- The notebook's examples: their inputs (the build computes their expected values) -------

#: W.1: the column means are (3, 6).
CENTER_X = [[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]]
#: W.2: large |Z| on purpose (np.exp(1000) overflows).
SIGMOID_Z = [[-1000.0, -1.0, 0.0], [1.0, 2.0, 1000.0]]
#: W.3: the third row is the first plus 999, so both have the same softmax.
SOFTMAX_Z = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1000.0, 1001.0, 1002.0]]
#: W.3: the same three rows without the large one, where a softmax that is right apart from its
#: overflow gives the right values (and one without keepdims does not).
SMALL_Z = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [2.0, 4.0, 6.0]]
#: W.3: scores X @ W + b = [[1, 0, 0], [0, 1, 2], [1, 1, 1]]; then the same with biases near 900
#: (as a softmax on real scores meets them).
PREDICT_X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
PREDICT_W = [[1.0, 0.0, -1.0], [0.0, 1.0, 1.0]]
PREDICT_BIASES = [[[0.0, 0.0, 1.0]], [[900.0, 900.0, 901.0]]]


def predict_args(b: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``predict_proba``'s arguments on the example with the bias ``b``."""
    return np.array(PREDICT_X), np.array(PREDICT_W), np.array(b)


@contextlib.contextmanager
def alone(name: str, fn: Callable[..., Any]) -> Iterator[None]:
    """While ``fn`` (the notebook's ``name``) is checked, its helpers give their right results on
    the check's inputs (the example's scores)."""
    known: dict[str, list] = {"softmax": []}
    for b, values in zip(PREDICT_BIASES, EXPECTED["predict_proba"], strict=True):
        X, W, bias = predict_args(b)
        known["softmax"].append(((X @ W + bias,), values["value"], 1e-9))
    with helpers_replaced(fn, {helper: known[helper] for helper in DEPENDENCIES.get(name, ())}):
        yield


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


def center_columns_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.1: the example's columns have means 3 and 6."""
    values = EXPECTED["center_columns"]
    return center_columns_case(fn, np.array(CENTER_X), values["value"], values["variants"], EXAMPLE)


def sigmoid_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.2: the example, including Z = -1000 and Z = 1000, without a warning."""
    values = EXPECTED["sigmoid"]
    problems = sigmoid_case(fn, np.array(SIGMOID_Z), values["value"], values["variants"], EXAMPLE)
    if problems:
        return problems
    if found := warnings_of(fn, np.array(SIGMOID_Z)):
        message = f"sigmoid {EXAMPLE}: the values are right, but it warns ({'; '.join(found)})"
        return [Problem(f"{message}. It looks like {MISTAKES['unstable']} [unstable].", "unstable")]
    return []


def softmax_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.3: three rows, one of them with entries around 1000. When the result is not finite, the
    same rows without the large one tell an overflow from a broadcasting mistake."""
    values, small = EXPECTED["softmax"], EXPECTED["softmax_small"]
    problems = softmax_case(fn, np.array(SOFTMAX_Z), values["value"], values["variants"], EXAMPLE)
    if problems and problems[0].mistake == "unstable":
        without = "on the example without its large row"
        return softmax_case(fn, np.array(SMALL_Z), small["value"], small["variants"], without) or problems
    return problems


def predict_proba_problems(fn: Callable[..., Any]) -> list[Problem]:
    """W.3: three points, two features, three classes; then biases near 900."""
    with alone("predict_proba", fn):
        for b, values, where in zip(PREDICT_BIASES, EXPECTED["predict_proba"], (EXAMPLE, NEAR_900), strict=True):
            if problems := predict_proba_case(fn, predict_args(b), values["value"], values["variants"], where):
                return problems
    return []


# --- What the notebook calls ----------------------------------------------------------------


check_center_columns = self_check("center_columns", center_columns_problems, CHECKED)
check_sigmoid = self_check("sigmoid", sigmoid_problems, CHECKED + ", without a warning")
check_softmax = self_check("softmax", softmax_problems, CHECKED)
check_predict_proba = self_check(
    "predict_proba", predict_proba_problems, CHECKED, " (judged on its own: softmax gives its right results here)"
)

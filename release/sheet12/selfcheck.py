"""Self-checks for sheet 12 that students run in their notebook.

Each ``check_*`` function tests one of your functions on the sheet's own numbers, in
the order type, shape, value, and says which variable is wrong, what was expected,
what came back and, when it recognises one, which common mistake explains it.
The course's hidden grader uses the same comparison helpers on other inputs.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import math
import os
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

RTOL = 1e-6
ATOL = 1e-9

#: Named mistakes the checks recognise, with the explanation a student reads.
MISTAKES: dict[str, str] = {
    "transposed": "it is the transpose of the expected array: keep every gradient in the shape "
    "of its parameter (the sheet prints dL/dW1 and dL/dW2 transposed)",
    "sum_instead_of_mean": "the losses were summed instead of averaged (divide by n)",
    "missing_1_over_n": "the factor 1/n of the mean is missing from the gradient",
    "wrong_sign": "the sign is flipped",
    "sigmoid_prime_at_Z": "sigmoid' was computed as Z * (1 - Z); it is A * (1 - A) with A = sigmoid(Z)",
    "sigmoid_prime_of_A": "sigmoid' was evaluated at A1; it is sigmoid'(Z1) = A1 * (1 - A1)",
    "bias_not_summed": "the bias gradient has one row per sample: sum dL/dZ over the samples",
    "forgot_bias": "a bias (b1 or b2) was not added",
    "weights_transposed": "X @ W1.T was used; with W1 shaped (d, h) the hidden layer is X @ W1 + b1",
    "no_output_sigmoid": "the output layer's sigmoid is missing (Z2 instead of A2)",
    "log10": "log10 was used; the cross-entropy uses the natural log np.log",
    "broadcast_n1_vs_n": "an (n,) array was combined with an (n, 1) array, which broadcasts to (n, n); "
    "keep both shaped (n, 1) or flatten both",
    "gradient_ascent": "the gradient was added; gradient descent subtracts lr * gradient",
    "ignores_lr": "the learning rate lr was not used",
    "mutates_inputs": "the input dictionaries or arrays were modified; build and return new ones",
    "weights_only": "only the weights were counted; every neuron after the input layer also has a bias",
    "drops_last_layer": "the last weight matrix W_K was left out of the product",
    "missing_factor_2": "the factor 2 from the derivative of the square is missing",
    "missing_inner_derivative": "the chain rule stopped early: the factor W2 W1 x is missing",
    "rounded": "the value looks typed in or rounded: compute it with your functions",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a result; ``mistake`` names a recognised common mistake."""

    message: str
    mistake: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What calling a student's function gave: its value or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def call_quietly(fn: Callable[..., Any], *args: Any) -> Outcome:
    """Call ``fn`` with NumPy warnings and printed output kept out of the notebook.

    nbgrader gives a test cell zero points when anything reaches stderr, so a correct
    ``1 / (1 + np.exp(-Z))`` that overflows must not be allowed to print its warning.
    """
    sink = io.StringIO()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            try:
                return Outcome(value=fn(*args))
            except (Exception, SystemExit) as error:
                return Outcome(error=error)


def describe_error(name: str, error: BaseException) -> Problem:
    """A problem for a function that raised instead of returning (``type_name``: the error's
    type where it was raised, when that was elsewhere)."""
    type_name = getattr(error, "type_name", type(error).__name__)
    if type_name == "NotImplementedError":
        return Problem(f"{name} is not implemented yet (it raises NotImplementedError).")
    return Problem(f"{name} raised {type_name}: {error}")


def _is_real_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def as_scalar(value: Any) -> float | None:
    """The float inside a number or a one-element numeric array; None for anything else."""
    if _is_real_number(value):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number):
        return float(value.reshape(-1)[0])
    return None


def _close(got: np.ndarray, expected: np.ndarray) -> bool:
    return bool(np.all(np.abs(got - expected) <= ATOL + RTOL * np.abs(expected)))


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, separator=", ", threshold=20)
    return f"{value:.10g}" if isinstance(value, float) else repr(value)


def _recognise(got: np.ndarray, variants: Mapping[str, Any]) -> str | None:
    """The mistake whose predicted value ``got`` matches.

    Variants are keyed by mistake name, optionally followed by ``#`` and a tag where one
    mistake has several forms (``forgot_bias#b1``).
    """
    for key, predicted in variants.items():
        predicted = np.asarray(predicted, dtype=float)
        if predicted.shape == got.shape and _close(got, predicted):
            return key.partition("#")[0]
    return None


_SHOW_EXPECTED = contextvars.ContextVar("show_expected", default=True)


@contextlib.contextmanager
def expected_values_withheld() -> Iterator[None]:
    """Within this block, messages say a value is wrong without printing the right one
    (the grader's hidden cases: their answers stay with the grader)."""
    token = _SHOW_EXPECTED.set(False)
    try:
        yield
    finally:
        _SHOW_EXPECTED.reset(token)


def _mistake_problem(what: str, got: str, expected: str, mistake: str | None) -> Problem:
    if _SHOW_EXPECTED.get():
        message = f"{what}: expected {expected}, got {got}"
    else:
        message = f"{what}: got {got}, which is not the expected value"
    if mistake is not None:
        message += f". It looks like {MISTAKES[mistake]} [{mistake}]"
    return Problem(message + ".", mistake)


def compare_scalar(what: str, got: Any, expected: float, variants: Mapping[str, float] | None = None) -> list[Problem]:
    """Type, then value, of a number; ``variants`` maps mistake names to their predicted values."""
    value = as_scalar(got)
    if value is None:
        return [Problem(f"{what}: expected a number (float), got {type(got).__name__} {_fmt(got)}.")]
    if math.isclose(value, expected, rel_tol=RTOL, abs_tol=ATOL):
        return []
    mistake = _recognise(np.asarray(value), variants or {})
    return [_mistake_problem(what, _fmt(value), _fmt(expected), mistake)]


def compare_array(
    what: str, got: Any, expected: np.ndarray, variants: Mapping[str, np.ndarray] | None = None
) -> list[Problem]:
    """Type, then shape, then value, of an array; named mistakes are recognised from ``variants``."""
    if not isinstance(got, np.ndarray) or not np.issubdtype(got.dtype, np.number):
        return [Problem(f"{what}: expected a numeric NumPy array, got {type(got).__name__}.")]
    got = np.asarray(got, dtype=float)
    mistake = _recognise(got, variants or {})
    if got.shape != expected.shape:
        return [_mistake_problem(f"{what} has the wrong shape", str(got.shape), str(expected.shape), mistake)]
    if _close(got, expected):
        return []
    return [_mistake_problem(what, _fmt(got), _fmt(expected), mistake)]


def compare_dict(
    what: str,
    got: Any,
    expected: Mapping[str, np.ndarray],
    variants: Mapping[str, Mapping[str, np.ndarray]] | None = None,
) -> list[Problem]:
    """Each expected key of a dict of arrays, compared with :func:`compare_array`."""
    if not isinstance(got, Mapping):
        return [Problem(f"{what}: expected a dict, got {type(got).__name__}.")]
    missing = [key for key in expected if key not in got]
    if missing:
        return [Problem(f"{what}: missing key(s) {', '.join(missing)}; expected keys {', '.join(expected)}.")]
    problems: list[Problem] = []
    for key, value in expected.items():
        key_variants = {name: variant[key] for name, variant in (variants or {}).items() if key in variant}
        problems += compare_array(f"{what}['{key}']", got[key], value, key_variants)
    return problems


def scaled_variants(expected: Any, n: int, factor_mistake: str = "missing_1_over_n") -> dict[str, Any]:
    """Mistakes that show as a simple transformation of the right answer.

    ``factor_mistake`` names what a result n times too large means: "missing_1_over_n"
    for a gradient, "sum_instead_of_mean" for a loss.
    """
    expected = np.asarray(expected, dtype=float)
    variants = {factor_mistake: n * expected, "wrong_sign": -expected}
    if expected.ndim == 2 and expected.size > 1:
        variants["transposed"] = expected.T
    return variants


def grads_variants(grads: Mapping[str, np.ndarray], n: int) -> dict[str, dict[str, np.ndarray]]:
    """:func:`scaled_variants` of every gradient, grouped by mistake."""
    variants: dict[str, dict[str, np.ndarray]] = {}
    for key, grad in grads.items():
        for mistake, value in scaled_variants(grad, n).items():
            variants.setdefault(mistake, {})[key] = value
    return variants


def step_variants(
    params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float
) -> dict[str, dict[str, np.ndarray]]:
    """Parameters after the common wrong updates, for recognising them."""
    return {
        "gradient_ascent": {k: p + lr * grads["d" + k] for k, p in params.items()},
        "ignores_lr": {k: p - grads["d" + k] for k, p in params.items()},
        "transposed": {k: p - lr * grads["d" + k].T for k, p in params.items() if p.shape == p.T.shape},
    }


def _copied(value: Any) -> Any:
    """A deep copy of the arrays, lists and dicts handed to a student's function."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Mapping):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copied(item) for item in value)
    return value


def _call(name: str, fn: Callable[..., Any], *args: Any) -> tuple[Any, list[Problem]]:
    outcome = call_quietly(fn, *_copied(args))
    if outcome.error is not None:
        return None, [describe_error(name, outcome.error)]
    return outcome.value, []


# --- One case of each function: the inputs, the right answer and the known wrong ones --------


def deep_linear_forward_case(
    fn: Callable[..., Any], x: np.ndarray, weights: list, expected: float, variants: Mapping[str, float], where: str
) -> list[Problem]:
    """``deep_linear_forward(x, weights)`` against the expected F(x)."""
    value, problems = _call("deep_linear_forward", fn, x, weights)
    return problems or compare_scalar(f"deep_linear_forward {where}", value, expected, variants)


def grad_W3_case(
    fn: Callable[..., Any], args: tuple, expected: float, variants: Mapping[str, float], where: str
) -> list[Problem]:
    """``grad_W3(x, y, W1, W2, W3)`` against the expected derivative."""
    value, problems = _call("grad_W3", fn, *args)
    return problems or compare_scalar(f"grad_W3 {where}", value, expected, variants)


def count_parameters_case(
    fn: Callable[..., Any], layer_sizes: list[int], expected: int, variants: Mapping[str, int]
) -> list[Problem]:
    """``count_parameters(layer_sizes)``: an int equal to the expected count."""
    value, problems = _call("count_parameters", fn, layer_sizes)
    if problems:
        return problems
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        return [Problem(f"count_parameters({layer_sizes}): expected an int, got {type(value).__name__}.")]
    return compare_scalar(f"count_parameters({layer_sizes})", value, expected, variants)


def sigmoid_case(
    fn: Callable[..., Any], Z: np.ndarray, expected: np.ndarray, variants: Mapping[str, np.ndarray], where: str
) -> list[Problem]:
    """``sigmoid(Z)`` element-wise, same shape as Z."""
    value, problems = _call("sigmoid", fn, Z)
    return problems or compare_array(f"sigmoid(Z) {where}", value, expected, variants)


def forward_case(
    fn: Callable[..., Any],
    X: np.ndarray,
    params: Mapping[str, np.ndarray],
    expected_cache: Mapping[str, np.ndarray],
    variants: Mapping[str, Mapping[str, np.ndarray]],
    where: str,
) -> list[Problem]:
    """``forward(X, params)`` gives (Y_hat, cache); Y_hat is A2 and the cache holds Z1, A1, Z2, A2."""
    value, problems = _call("forward", fn, X, params)
    if problems:
        return problems
    if not isinstance(value, tuple) or len(value) != 2:
        return [Problem(f"forward {where}: expected a tuple (Y_hat, cache), got {type(value).__name__}.")]
    Y_hat, cache = value
    Y_hat_variants = {mistake: variant["A2"] for mistake, variant in variants.items()}
    return compare_array(f"Y_hat {where}", Y_hat, expected_cache["A2"], Y_hat_variants) or compare_dict(
        f"cache {where}", cache, expected_cache, variants
    )


def cross_entropy_case(
    fn: Callable[..., Any],
    Y: np.ndarray,
    Y_hat: np.ndarray,
    expected: float,
    variants: Mapping[str, float],
    where: str,
) -> list[Problem]:
    """``cross_entropy(Y, Y_hat)``: the mean binary cross-entropy."""
    value, problems = _call("cross_entropy", fn, Y, Y_hat)
    return problems or compare_scalar(f"cross_entropy(Y, Y_hat) {where}", value, expected, variants)


def cache_for_backward(
    forward: Callable[..., Any] | None,
    X: np.ndarray,
    params: Mapping[str, np.ndarray],
    cache: Mapping[str, np.ndarray],
) -> dict[str, Any]:
    """The cache handed to ``backward``: the right Z1, A1, Z2, A2, plus any extra keys that
    the student's own ``forward`` stores (their ``backward`` may read them)."""
    outcome = call_quietly(forward, *_copied((X, params))) if forward is not None else Outcome()
    own = outcome.value[1] if isinstance(outcome.value, tuple) and len(outcome.value) == 2 else None
    extras = {key: value for key, value in own.items() if key not in cache} if isinstance(own, Mapping) else {}
    return {**extras, **cache}


def backward_case(
    fn: Callable[..., Any],
    args: tuple,
    expected: Mapping[str, np.ndarray],
    variants: Mapping[str, Mapping[str, np.ndarray]],
    where: str,
) -> list[Problem]:
    """``backward(X, Y, params, cache)``: gradients shaped like their parameters."""
    value, problems = _call("backward", fn, *args)
    return problems or compare_dict(f"grads {where}", value, expected, variants)


def gd_step_case(
    fn: Callable[..., Any],
    params: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    lr: float,
    expected: Mapping[str, np.ndarray],
    where: str,
) -> list[Problem]:
    """``gd_step(params, grads, lr)``: new parameters, with the inputs left as they were."""
    given_params, given_grads = _copied(params), _copied(grads)
    outcome = call_quietly(fn, given_params, given_grads, lr)
    if outcome.error is not None:
        return [describe_error("gd_step", outcome.error)]
    problems = compare_dict(f"new_params {where}", outcome.value, expected, step_variants(params, grads, lr))
    unchanged = all(
        key in given and np.array_equal(given[key], original[key])
        for given, original in ((given_params, params), (given_grads, grads))
        for key in original
    )
    if not unchanged:
        problems.append(Problem(f"gd_step {where}: {MISTAKES['mutates_inputs']} [mutates_inputs].", "mutates_inputs"))
    return problems


# --- The sheet's instance (T12.2 c) and its values at full precision -------------------------


def sheet_data() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Fresh copies of the sheet's X, Y and initial parameters."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [1.0]])
    params = {
        "W1": np.array([[1.0, 0.0], [0.0, 1.0]]),
        "b1": np.array([[0.0, 0.0]]),
        "W2": np.array([[1.0], [-1.0]]),
        "b2": np.array([[0.0]]),
    }
    return X, Y, params


SHEET_CACHE = {
    "Z1": np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
    "A1": np.array(
        [[0.5, 0.5], [0.5, 0.7310585786300049], [0.7310585786300049, 0.5], [0.7310585786300049, 0.7310585786300049]]
    ),
    "Z2": np.array([[0.0], [-0.2310585786300049], [0.2310585786300049], [0.0]]),
    "A2": np.array([[0.5], [0.44249098589253877], [0.5575090141074612], [0.5]]),
}
SHEET_RISK = 0.6964765384254519
SHEET_GRADS = {
    "dW1": np.array([[-0.04632624369975057, 0.0522321782734689], [-0.05942080503690156, 0.05197972292099036]]),
    "db1": np.array([[-0.04992055708146689, 0.04838540953927403]]),
    "dW2": np.array([[-0.1794426568929805], [-0.18608663242202195]]),
    "db2": np.array([[-0.25]]),
}
SHEET_NEW_PARAMS = {
    "W1": np.array([[1.0463262436997505, -0.0522321782734689], [0.05942080503690156, 0.9480202770790096]]),
    "b1": np.array([[0.04992055708146689, -0.04838540953927403]]),
    "W2": np.array([[1.1794426568929806], [-0.813913367577978]]),
    "b2": np.array([[0.25]]),
}
SHEET_NEW_RISK = 0.5845456711694604
SHEET_LR = 1.0


# --- Checks on the sheet's instance, shared by the self-checks and the hidden grader ---------


def statement_problems(answers: Any) -> list[Problem]:
    """T12.1.1: a tuple of four booleans (their truth is for the grader to judge)."""
    if not isinstance(answers, (tuple, list)) or len(answers) != 4:
        return [Problem(f"statement_answers: expected a tuple of 4 booleans, got {_fmt(answers)}.")]
    wrong = [i + 1 for i, answer in enumerate(answers) if not isinstance(answer, (bool, np.bool_))]
    if wrong:
        return [Problem(f"statement_answers: entries {wrong} are not True or False.")]
    return []


SHEET = "on the sheet's data"
#: A small T12.1.2 example: x, y, W1, W2, W3 with W2 W1 x = -0.25 and F(x) = -0.5.
LINEAR_EXAMPLE = (np.array([1.0, 2.0]), 1.5, np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[0.5, -0.25]]), 2.0)
LINEAR_GRAD_W3 = -2.0 * (1.5 - -0.5) * -0.25


def deep_linear_forward_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.1.2: F(x) = W3 W2 W1 x on the small example, with W3 as a (1, 1) matrix."""
    x, _, W1, W2, W3 = LINEAR_EXAMPLE
    variants = {"drops_last_layer": -0.25}
    return deep_linear_forward_case(fn, x, [W1, W2, np.array([[W3]])], -0.5, variants, "on the example")


def grad_W3_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.1.2: -2 (y - F(x)) W2 W1 x on the small example."""
    variants = {
        "missing_factor_2": LINEAR_GRAD_W3 / 2,
        "wrong_sign": -LINEAR_GRAD_W3,
        "missing_inner_derivative": -2.0 * (1.5 - -0.5),
    }
    return grad_W3_case(fn, LINEAR_EXAMPLE, LINEAR_GRAD_W3, variants, "on the example")


def count_parameters_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2a: the sheet's network [2, 2, 1] has 9 parameters."""
    return count_parameters_case(fn, [2, 2, 1], 9, {"weights_only": 6})


def sigmoid_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2b: sigmoid of the sheet's Z1 is its A1."""
    A1 = SHEET_CACHE["A1"]
    return sigmoid_case(fn, SHEET_CACHE["Z1"], A1, {"wrong_sign": 1 - A1}, "on the sheet's Z1")


def forward_problems(fn: Callable[..., Any], more_variants: Mapping[str, Any] | None = None) -> list[Problem]:
    """T12.2b: Y_hat and the cache on the sheet's data (``more_variants``: other known mistakes)."""
    X, _, params = sheet_data()
    variants = {"no_output_sigmoid": {"A2": SHEET_CACHE["Z2"]}, **(more_variants or {})}
    return forward_case(fn, X, params, SHEET_CACHE, variants, SHEET)


def cross_entropy_problems(fn: Callable[..., Any], more_variants: Mapping[str, Any] | None = None) -> list[Problem]:
    """T12.2c: the empirical risk 0.696 at full precision."""
    _, Y, _ = sheet_data()
    variants = {**scaled_variants(SHEET_RISK, len(Y), "sum_instead_of_mean"), "log10": SHEET_RISK / math.log(10)}
    variants |= more_variants or {}
    return cross_entropy_case(fn, Y, SHEET_CACHE["A2"], SHEET_RISK, variants, SHEET)


def backward_problems(
    fn: Callable[..., Any], forward: Callable[..., Any] | None = None, more_variants: Mapping[str, Any] | None = None
) -> list[Problem]:
    """T12.2d: the four gradients, shaped like their parameters."""
    X, Y, params = sheet_data()
    cache = cache_for_backward(forward, X, params, SHEET_CACHE)
    variants = {**grads_variants(SHEET_GRADS, len(X)), **(more_variants or {})}
    return backward_case(fn, (X, Y, params, cache), SHEET_GRADS, variants, SHEET)


def gd_step_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2e: the sheet's update with lr = 1."""
    _, _, params = sheet_data()
    return gd_step_case(fn, params, SHEET_GRADS, SHEET_LR, SHEET_NEW_PARAMS, SHEET)


def new_risk_problems(value: Any) -> list[Problem]:
    """T12.2f: the risk after one step, 0.585 at full precision."""
    problems = compare_scalar("new_risk", value, SHEET_NEW_RISK)
    scalar = as_scalar(value)
    if problems and scalar is not None and abs(scalar - SHEET_NEW_RISK) < 1e-3:
        return [_mistake_problem("new_risk", _fmt(scalar), _fmt(SHEET_NEW_RISK), "rounded")]
    return problems


# --- What the notebook calls ----------------------------------------------------------------


def ready_to_explore(**functions: Callable[..., Any]) -> bool:
    """Whether these functions pass their self-checks, so an exploration can use them.

    Otherwise prints what to finish first (instead of failing with a traceback). While the
    notebook is being graded, explorations are skipped: they are never graded.
    """
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        print("(exploration skipped while grading)")
        return False
    unfinished = [name for name, fn in functions.items() if not callable(fn) or _CHECKS_BY_NAME[name](fn)]
    if unfinished:
        print(f"Finish {', '.join(unfinished)} first: run their cells until their self-checks pass.")
        return False
    return True


def _report(title: str, problems: list[Problem]) -> None:
    """Print the verdict; raise so that the cell shows the failure."""
    if not problems:
        print(f"✓ {title}: correct on the sheet's numbers.")
        return
    text = "\n".join(f"✗ {problem.message}" for problem in problems)
    raise AssertionError(f"{title}:\n{text}")


def check_statement_answers(answers: Any) -> None:
    """Self-check of T12.1.1 (the format only: the grader judges the answers)."""
    _report("statement_answers (format only)", statement_problems(answers))


def check_deep_linear_forward(fn: Callable[..., Any]) -> None:
    """Self-check of ``deep_linear_forward``."""
    _report("deep_linear_forward", deep_linear_forward_problems(fn))


def check_grad_W3(fn: Callable[..., Any]) -> None:
    """Self-check of ``grad_W3``."""
    _report("grad_W3", grad_W3_problems(fn))


def check_count_parameters(fn: Callable[..., Any]) -> None:
    """Self-check of ``count_parameters``."""
    _report("count_parameters", count_parameters_problems(fn))


def check_sigmoid(fn: Callable[..., Any]) -> None:
    """Self-check of ``sigmoid``."""
    _report("sigmoid", sigmoid_problems(fn))


def check_forward(fn: Callable[..., Any]) -> None:
    """Self-check of ``forward``."""
    _report("forward", forward_problems(fn))


def check_cross_entropy(fn: Callable[..., Any]) -> None:
    """Self-check of ``cross_entropy``."""
    _report("cross_entropy", cross_entropy_problems(fn))


def check_backward(fn: Callable[..., Any], forward: Callable[..., Any] | None = None) -> None:
    """Self-check of ``backward``, given the cache your ``forward`` returns (if you pass it)."""
    _report("backward", backward_problems(fn, forward))


def check_gd_step(fn: Callable[..., Any]) -> None:
    """Self-check of ``gd_step``."""
    _report("gd_step", gd_step_problems(fn))


def check_new_risk(value: Any) -> None:
    """Self-check of ``new_risk``."""
    _report("new_risk", new_risk_problems(value))


#: The sheet-instance check of each function, by the function's name.
_CHECKS_BY_NAME: dict[str, Callable[[Callable[..., Any]], list[Problem]]] = dict(
    deep_linear_forward=deep_linear_forward_problems,
    grad_W3=grad_W3_problems,
    count_parameters=count_parameters_problems,
    sigmoid=sigmoid_problems,
    forward=forward_problems,
    cross_entropy=cross_entropy_problems,
    backward=backward_problems,
    gd_step=gd_step_problems,
)

"""Self-checks for sheet 12 that students run in their notebook.

Each ``check_*`` function tests one of your functions on public cases (the sheet's numbers, to
the decimals the sheet prints, and other networks at full precision), in the order type, shape,
value, and says which variable is wrong, what was expected, what came back and, when it
recognises one, which common mistake explains it. A function is judged on its own: while it is
checked, the helpers it calls (``sigmoid`` in ``forward``, say) give their right results on the
check's inputs, so one mistake fails one check. The comparisons come from ``selfcheck_kit.py``
and the expected values from ``selfcheck_values.py``, both next to this file; the course's hidden
grader uses the same checks on other inputs.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
from selfcheck_kit import (
    Checker,
    Outcome,
    Problem,
    as_scalar,
    call,
    call_counting,
    call_quietly,
    close,
    copied,
    describe_error,
    fmt,
    helpers_replaced,
    report,
    self_check,
    to_decimals,
)
from selfcheck_kit import (  # for students: from selfcheck import check_all, gradient_check
    check_all as check_all,
)
from selfcheck_kit import (
    gradient_check as gradient_check,
)
from selfcheck_values import EXPECTED

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
    "weights_transposed": "X @ W1.T was used; W1 is shaped (d, h), so it needs no transpose",
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
    "missing_inner_derivative": "the chain rule stopped early: the derivative of F(x) itself w.r.t. W3 is missing",
    "rounded": "the value was typed in or rounded: compute it with your functions",
    "numerical_gradient": "the gradients were computed numerically (the forward pass run again for every"
    " parameter), not by backpropagation: part d) asks for the chain rule, layer by layer",
}

check = Checker(MISTAKES)
CHECKED = "on the sheet's numbers and on a second network (biases, 3 inputs, 4 hidden units, 5 points, lr 0.5)"
CHECKED_F = "on the sheet's numbers, as your own functions compute it"
#: T12.1 has no numbers on the sheet: its checks use small examples of their own.
ON_THE_EXAMPLES = "on the check's examples"

#: The notebook's functions that each function may call. While a function is checked, they give
#: their right results on the check's inputs (see ``known_calls``), as in the grader.
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "grad_W3": ("deep_linear_forward",),
    "forward": ("sigmoid",),
    "backward": ("forward", "sigmoid"),
}


# --- The public cases: their inputs (the build computes their expected values) ---------------

#: The sheet's network (T12.2 c) and a second one with non-zero biases, 3 inputs, 4 hidden units,
#: 5 points and lr 0.5 (the sheet's b = 0, W1 = I and lr = 1 hide missing biases, X @ W1.T and an
#: ignored learning rate).
NETWORKS: dict[str, dict[str, Any]] = {
    "sheet": {
        "X": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        "Y": [[0.0], [1.0], [1.0], [1.0]],
        "params": {"W1": [[1.0, 0.0], [0.0, 1.0]], "b1": [[0.0, 0.0]], "W2": [[1.0], [-1.0]], "b2": [[0.0]]},
        "lr": 1.0,
    },
    "second": {
        "X": [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [-1.0, 2.0, 1.0], [0.0, 0.5, -1.5], [2.0, -0.5, 0.5]],
        "Y": [[1.0], [0.0], [1.0], [0.0], [1.0]],
        "params": {
            "W1": [[0.2, -0.4, 0.3, -0.1], [0.7, 0.1, -0.5, 0.4], [-0.3, 0.5, 0.2, 0.6]],
            "b1": [[0.1, -0.2, 0.05, 0.15]],
            "W2": [[0.6], [-0.8], [0.5], [-0.3]],
            "b2": [[0.3]],
        },
        "lr": 0.5,
    },
}
WHERE = {"sheet": "on the sheet's data", "second": "on the second network"}
OF_Z1 = {"sheet": "on the sheet's Z1", "second": "on the second network's Z1"}
#: The sheet prints its values to 3 decimals, and its instance is checked to them. Its expected
#: values come to 4 (so that, rounded, they are the sheet's), the risk after the step to the sheet's
#: own 3 (0.585): nothing more precise about the sheet comes with the notebook.
CHECKED_DECIMALS = {"sheet": 3}
GIVEN_DECIMALS = {"sheet": 4}
NEW_RISK_DECIMALS = 3
#: How closely a helper's arguments must match a known call's (see ``known_calls``).
MATCH = 1e-9

#: T12.1.2's examples of (x, y, W1, W2, W3), W3 a scalar: inputs of 2 and of 3 dimensions.
LINEAR_EXAMPLES: list[tuple[list[float], float, list[list[float]], list[list[float]], float]] = [
    ([1.0, 2.0], 1.5, [[1.0, 0.0], [1.0, 1.0]], [[0.5, -0.25]], 2.0),
    ([0.5, -1.0, 2.0], -0.5, [[1.0, 0.5, 0.0], [0.0, -1.0, 1.0]], [[0.25, 0.75]], -1.5),
]
#: deep_linear_forward's examples (x, [W1, ..., WK]) at depths K = 1, 2, 3 and 4.
DEPTH_EXAMPLES: list[tuple[list[float], list[list[list[float]]]]] = [
    ([1.0, -2.0, 0.5], [[[0.5, 1.0, -2.0]]]),
    ([2.0, 1.0], [[[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]], [[1.0, 0.5, -1.0]]]),
    ([1.0, 2.0], [[[1.0, 0.0], [1.0, 1.0]], [[0.5, -0.25]], [[2.0]]]),
    ([1.0, 1.0], [[[1.0, 2.0], [0.0, 1.0]], [[1.0, -1.0], [2.0, 0.5], [0.0, 1.0]], [[1.0, 1.0, -1.0]], [[0.5]]]),
]
#: count_parameters' layer widths: the sheet's [2, 2, 1], then 2 to 4 layers of other widths.
LAYER_SIZES: list[list[int]] = [[2, 2, 1], [3, 4, 2], [4, 1], [2, 3, 3, 1]]
#: Inputs far out on both sides: sigmoid must give 0 and 1 there, not nan or an error.
LARGE_Z = [[-800.0, -40.0, 0.0, 40.0, 800.0]]


def network_data(name: str = "sheet") -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Fresh copies of a public network's X, Y and parameters."""
    network = NETWORKS[name]
    params = {key: np.array(value) for key, value in network["params"].items()}
    return np.array(network["X"]), np.array(network["Y"]), params


def sheet_data() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Fresh copies of the sheet's X, Y and initial parameters."""
    return network_data("sheet")


def known_calls() -> dict[str, list[tuple[tuple, Any, float]]]:
    """The helpers' right results on the arguments the checks give them (arguments, result,
    tolerance), from the expected values of the public cases."""
    known: dict[str, list[tuple[tuple, Any, float]]] = {"sigmoid": [], "forward": [], "deep_linear_forward": []}
    for name, values in EXPECTED["networks"].items():
        X, _, params = network_data(name)
        cache, tolerance = values["cache"], 0.5 * 10.0 ** -CHECKED_DECIMALS.get(name, 9)
        known["sigmoid"] += [((cache["Z1"],), cache["A1"], tolerance), ((cache["Z2"],), cache["A2"], tolerance)]
        known["forward"].append(((X, params), (cache["A2"], cache), tolerance))
    for (x, _, W1, W2, W3), expected in zip(LINEAR_EXAMPLES, EXPECTED["grad_W3"], strict=True):
        known["deep_linear_forward"].append(((np.array(x), [np.array(W1), np.array(W2), W3]), expected["F"], MATCH))
    return known


@contextlib.contextmanager
def alone(name: str, fn: Callable[..., Any]) -> Iterator[None]:
    """While ``fn`` (the notebook's ``name``) is checked, its helpers give their right results on
    the check's inputs."""
    calls = known_calls()
    with helpers_replaced(fn, {helper: calls[helper] for helper in DEPENDENCIES.get(name, ())}):
        yield


# --- One case of each function: the inputs, the right answer and the known wrong ones --------


def deep_linear_forward_case(
    fn: Callable[..., Any], x: np.ndarray, weights: list, expected: float, variants: Mapping[str, float], where: str
) -> list[Problem]:
    """``deep_linear_forward(x, weights)`` against the expected F(x)."""
    value, problems = call(f"deep_linear_forward {where}", fn, x, weights)
    return problems or check.compare_scalar(f"deep_linear_forward {where}", value, expected, variants)


def grad_W3_case(
    fn: Callable[..., Any], args: tuple, expected: float, variants: Mapping[str, float], where: str
) -> list[Problem]:
    """``grad_W3(x, y, W1, W2, W3)`` against the expected derivative."""
    value, problems = call(f"grad_W3 {where}", fn, *args)
    return problems or check.compare_scalar(f"grad_W3 {where}", value, expected, variants)


def count_parameters_case(
    fn: Callable[..., Any], layer_sizes: list[int], expected: int, variants: Mapping[str, int]
) -> list[Problem]:
    """``count_parameters(layer_sizes)``: an int equal to the expected count."""
    value, problems = call(f"count_parameters({layer_sizes})", fn, layer_sizes)
    if problems:
        return problems
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        return [Problem(f"count_parameters({layer_sizes}): expected an int, got {type(value).__name__}.")]
    return check.compare_scalar(f"count_parameters({layer_sizes})", value, expected, variants)


def sigmoid_case(
    fn: Callable[..., Any], Z: np.ndarray, expected: np.ndarray, variants: Mapping[str, np.ndarray], where: str
) -> list[Problem]:
    """``sigmoid(Z)`` element-wise, same shape as Z."""
    value, problems = call("sigmoid", fn, Z)
    return problems or check.compare_array(f"sigmoid(Z) {where}", value, expected, variants)


def forward_case(
    fn: Callable[..., Any],
    X: np.ndarray,
    params: Mapping[str, np.ndarray],
    expected_cache: Mapping[str, np.ndarray],
    variants: Mapping[str, Mapping[str, np.ndarray]],
    where: str,
) -> list[Problem]:
    """``forward(X, params)`` gives (Y_hat, cache); Y_hat is A2 and the cache holds Z1, A1, Z2, A2."""
    value, problems = call("forward", fn, X, params)
    if problems:
        return problems
    if not isinstance(value, tuple) or len(value) != 2:
        return [Problem(f"forward {where}: expected a tuple (Y_hat, cache), got {type(value).__name__}.")]
    Y_hat, cache = value
    Y_hat_variants = {mistake: variant["A2"] for mistake, variant in variants.items()}
    return check.compare_array(f"Y_hat {where}", Y_hat, expected_cache["A2"], Y_hat_variants) or check.compare_dict(
        "cache", cache, expected_cache, variants, where
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
    value, problems = call("cross_entropy", fn, Y, Y_hat)
    return problems or check.compare_scalar(f"cross_entropy(Y, Y_hat) {where}", value, expected, variants)


def cache_for_backward(
    forward: Callable[..., Any] | None,
    X: np.ndarray,
    params: Mapping[str, np.ndarray],
    cache: Mapping[str, np.ndarray],
) -> dict[str, Any]:
    """The cache handed to ``backward``: the right Z1, A1, Z2, A2, plus any extra keys that
    the student's own ``forward`` stores (their ``backward`` may read them)."""
    outcome = call_quietly(forward, *copied((X, params))) if forward is not None else Outcome()
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
    """``backward(X, Y, params, cache)``: gradients shaped like their parameters, by backpropagation.
    Backpropagation runs the forward pass at most once per data point and once more for the cache,
    and the sigmoid a few times per data point; taking the gradients numerically runs them twice per
    parameter."""
    value, problems, calls = call_counting("backward", fn, ("forward", "sigmoid"), *args)
    if problems:
        return problems
    n = len(args[0])
    for callee, allowed in (("forward", n + 1), ("sigmoid", SIGMOID_CALLS_PER_POINT * (n + 1))):
        if calls[callee] > allowed:
            message = f"backward {where}: it ran {callee} {calls[callee]} times for {n} data points"
            return [numerical_gradient_problem(message)]
    return check.compare_dict("grads", value, expected, variants, where)


#: The sigmoid calls a backward may make per data point (and for the cache): its derivative at
#: both layers, recomputed from Z or from the activations, loops over data points included.
SIGMOID_CALLS_PER_POINT = 4


def numerical_gradient_problem(message: str) -> Problem:
    """The named mistake of a backward that differentiates numerically, after what gave it away."""
    return Problem(
        f"{message}. It looks like {MISTAKES['numerical_gradient']} [numerical_gradient].", "numerical_gradient"
    )


def gd_step_case(
    fn: Callable[..., Any],
    params: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    lr: float,
    expected: Mapping[str, np.ndarray],
    variants: Mapping[str, Mapping[str, np.ndarray]],
    where: str,
) -> list[Problem]:
    """``gd_step(params, grads, lr)``: new parameters, with the inputs left as they were."""
    given_params, given_grads = copied(params), copied(grads)
    outcome = call_quietly(fn, given_params, given_grads, lr)
    if outcome.error is not None:
        return [describe_error("gd_step", outcome.error)]
    problems = check.compare_dict("new_params", outcome.value, expected, variants, where)
    unchanged = all(
        key in given and np.array_equal(given[key], original[key])
        for given, original in ((given_params, params), (given_grads, grads))
        for key in original
    )
    if not unchanged:
        problems.append(Problem(f"gd_step {where}: {MISTAKES['mutates_inputs']} [mutates_inputs].", "mutates_inputs"))
    return problems


# --- The checks on the public cases, shared by the self-checks and the hidden grader ---------


#: What ``statement_answers`` and ``new_risk`` hold until a student's cell sets them (plain data, so
#: the grader reads it as the notebook does).
NOT_SET = "not set yet"


def not_set(name: str, value: Any) -> list[Problem]:
    """The problem of an answer that is still :data:`NOT_SET`, else none."""
    if isinstance(value, str) and value == NOT_SET:
        return [
            Problem(f"{name} is not set yet: write your answer in its cell (instead of raise NotImplementedError()).")
        ]
    return []


def statement_problems(answers: Any) -> list[Problem]:
    """T12.1.1: a tuple of four booleans (their truth is for the grader to judge)."""
    if unset := not_set("statement_answers", answers):
        return unset
    if not isinstance(answers, (tuple, list)) or len(answers) != 4:
        return [Problem(f"statement_answers: expected a tuple of 4 booleans, got {fmt(answers)}.")]
    wrong = [i + 1 for i, answer in enumerate(answers) if not isinstance(answer, (bool, np.bool_))]
    if wrong:
        return [Problem(f"statement_answers: entries {wrong} are not True or False.")]
    return []


def deep_linear_forward_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.1.2: F(x) for networks of depth 1 to 4."""
    for (x, weights), expected in zip(DEPTH_EXAMPLES, EXPECTED["deep_linear_forward"], strict=True):
        arrays, where = [np.array(W) for W in weights], f"at depth K={len(weights)}"
        if problems := deep_linear_forward_case(
            fn, np.array(x), arrays, expected["value"], expected["variants"], where
        ):
            return problems
    return []


def grad_W3_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.1.2: dl/dW3 on the examples."""
    with alone("grad_W3", fn):
        for number, ((x, y, W1, W2, W3), expected) in enumerate(zip(LINEAR_EXAMPLES, EXPECTED["grad_W3"], strict=True)):
            args = (np.array(x), y, np.array(W1), np.array(W2), W3)
            where = f"on example {number + 1} (x of {len(x)} dimensions)"
            if problems := grad_W3_case(fn, args, expected["value"], expected["variants"], where):
                return problems
    return []


def count_parameters_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2a: the sheet's network [2, 2, 1], then networks of 2 to 4 layers."""
    for sizes, expected in zip(LAYER_SIZES, EXPECTED["count_parameters"], strict=True):
        if problems := count_parameters_case(fn, sizes, expected["value"], expected["variants"]):
            return problems
    return []


def sigmoid_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2b: sigmoid of each network's Z1 is its A1, and of inputs of +-800 are 0 and 1."""
    for name, values in EXPECTED["networks"].items():
        with to_decimals(CHECKED_DECIMALS.get(name)):
            Z1, A1 = values["cache"]["Z1"], values["cache"]["A1"]
            if problems := sigmoid_case(fn, Z1, A1, values["sigmoid_variants"], OF_Z1[name]):
                return problems
    large = EXPECTED["large_sigmoid"]
    return sigmoid_case(fn, np.array(LARGE_Z), large["value"], large["variants"], "on inputs of +-800")


def forward_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2b: Y_hat and the cache on each network."""
    with alone("forward", fn):
        for name, values in EXPECTED["networks"].items():
            X, _, params = network_data(name)
            with to_decimals(CHECKED_DECIMALS.get(name)):
                problems = forward_case(fn, X, params, values["cache"], values["forward_variants"], WHERE[name])
                if (
                    problems
                    and not any(problem.mistake for problem in problems)
                    and params["W1"].shape[0] != params["W1"].shape[1]
                ):
                    # X @ W1.T fails on a (3, 4) W1; given W1 transposed, such a forward is right.
                    swapped = {**params, "W1": params["W1"].T}
                    if not forward_case(fn, X, swapped, values["cache"], {}, WHERE[name]):
                        message = f"forward {WHERE[name]}: it is right only when given W1 transposed. It looks like"
                        mistake = "weights_transposed"
                        return [Problem(f"{message} {MISTAKES[mistake]} [{mistake}].", mistake)]
            if problems:
                return problems
    return []


def cross_entropy_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2c: the empirical risk on each network (the sheet's is 0.696)."""
    for name, values in EXPECTED["networks"].items():
        A2, risk, variants = values["cache"]["A2"], values["risk"], values["cross_entropy_variants"]
        with to_decimals(CHECKED_DECIMALS.get(name)):
            if problems := cross_entropy_case(fn, np.array(NETWORKS[name]["Y"]), A2, risk, variants, WHERE[name]):
                return problems
    return []


def backward_problems(fn: Callable[..., Any], forward: Callable[..., Any] | None = None) -> list[Problem]:
    """T12.2d: the four gradients, shaped like their parameters, on each network (given
    ``forward``, with the extra keys of the cache it returns); then what it costs on a wide one."""
    with alone("backward", fn):
        for name, values in EXPECTED["networks"].items():
            X, Y, params = network_data(name)
            cache = cache_for_backward(forward, X, params, values["cache"])
            with to_decimals(CHECKED_DECIMALS.get(name)):
                problems = backward_case(
                    fn, (X, Y, params, cache), values["grads"], values["backward_variants"], WHERE[name]
                )
            if problems:
                return problems
        return backward_cost(fn, wide_args(forward), WIDE)[1]


#: (n, d, h) of the wide network: 22,801 parameters and two data points, where backpropagation
#: costs a few forward passes and numerical differentiation one or two per parameter.
WIDE_SHAPE = (2, 150, 150)
WIDE = "on a wide network (n=2, d=150, h=150)"
#: On a wide network a backward may take this share of the least that numerical differentiation
#: costs there (one product X @ W1 for each of two passes per parameter, timed on this machine),
#: and at least COST_FLOOR_SECONDS: backpropagation, even in pure Python loops, takes milliseconds.
COST_SHARE = 0.1
COST_FLOOR_SECONDS = 0.3


def wide_args(forward: Callable[..., Any] | None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], dict]:
    """``backward``'s arguments on the wide network: its data, parameters and a cache of the right
    shapes (with the keys ``forward`` adds). Only what the call costs is checked on it."""
    rng = np.random.default_rng(12)
    n, d, h = WIDE_SHAPE
    X, Y = rng.normal(size=(n, d)), np.array([[0.0], [1.0]])
    params = {"W1": rng.normal(size=(d, h)) / np.sqrt(d), "b1": rng.normal(size=(1, h)),
              "W2": rng.normal(size=(h, 1)) / np.sqrt(h), "b2": rng.normal(size=(1, 1))}  # fmt: skip
    A1, A2 = rng.uniform(0.05, 0.95, size=(n, h)), rng.uniform(0.05, 0.95, size=(n, 1))
    cache = {"Z1": np.log(A1 / (1 - A1)), "A1": A1, "Z2": np.log(A2 / (1 - A2)), "A2": A2}
    return X, Y, params, cache_for_backward(forward, X, params, cache)


def cost_budget(X: np.ndarray, params: Mapping[str, np.ndarray]) -> float:
    """Seconds a backward may take on these arguments (see :data:`COST_SHARE`)."""
    products = []
    for _ in range(5):
        started = time.perf_counter()
        X @ params["W1"]
        products.append(time.perf_counter() - started)
    parameters = sum(np.size(value) for value in params.values())
    return max(COST_FLOOR_SECONDS, COST_SHARE * 2 * parameters * min(products))


def backward_cost(fn: Callable[..., Any], args: tuple, where: str) -> tuple[Any, list[Problem]]:
    """``backward(*args)`` on a wide network: its value, and the problem when it took longer than
    backpropagation would (numerical differentiation is recognised by what it costs, whichever
    helpers it calls or writes out)."""
    allowed = cost_budget(args[0], args[2])
    started = time.perf_counter()
    value, problems = call("backward", fn, *args)
    seconds = time.perf_counter() - started
    if problems or seconds <= allowed:
        return value, problems
    parameters = sum(np.size(value) for value in args[2].values())
    message = f"backward {where}: it took much longer than backpropagation takes for {parameters:,} parameters"
    return value, [numerical_gradient_problem(message)]


def gd_step_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2e: the update of each network's parameters with its learning rate (the sheet's lr is 1)."""
    for name, values in EXPECTED["networks"].items():
        _, _, params = network_data(name)
        lr, grads = NETWORKS[name]["lr"], values["grads"]
        with to_decimals(CHECKED_DECIMALS.get(name)):
            if problems := gd_step_case(
                fn, params, grads, lr, values["new_params"], values["step_variants"], WHERE[name]
            ):
                return problems
    return []


#: The functions part f)'s step runs, in the order they run.
PIPELINE = ("forward", "backward", "gd_step", "cross_entropy")
#: The functions the step depends on, in the order they are judged: the helper first.
STEP = ("sigmoid", *PIPELINE)


def own_new_risk(pipeline: Mapping[str, Callable[..., Any]]) -> float | None:
    """The risk after one step on the sheet's data computed with these functions, each calling its
    own helpers (None if one of them raises or returns something unusable)."""
    X, Y, params = sheet_data()
    fns = [pipeline.get(name) for name in PIPELINE]
    if not all(callable(fn) for fn in fns):
        return None
    forward, backward, gd_step, cross_entropy = fns
    lr = NETWORKS["sheet"]["lr"]
    try:
        _, cache = call("forward", forward, X, params)[0]
        grads = call("backward", backward, X, Y, params, cache)[0]
        stepped = call("gd_step", gd_step, params, grads, lr)[0]
        return as_scalar(call("cross_entropy", cross_entropy, Y, call("forward", forward, X, stepped)[0][0])[0])
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def first_wrong(pipeline: Mapping[str, Callable[..., Any]]) -> tuple[str, list[Problem]] | None:
    """The first function of part f)'s step (or its helper) whose self-check fails, with its problems."""
    for name in STEP:
        fn = pipeline.get(name)
        if not callable(fn):
            continue
        problems = backward_problems(fn, pipeline.get("forward")) if name == "backward" else _CHECKS_BY_NAME[name](fn)
        if problems:
            return name, problems
    return None


def new_risk_problems(value: Any, pipeline: Mapping[str, Callable[..., Any]] | None = None) -> list[Problem]:
    """T12.2f: the risk after one step with lr = 1, as the student's own functions compute it (given
    ``pipeline``, with ``sigmoid`` if it is known), and right to the sheet's 3 decimals. Only values
    the student's own functions give are shown: the expected value could be typed in. When the
    value is wrong, the problem names the first wrong function of the step and its mistake; "typed
    in" is said only when the value is not what their functions give."""
    if unset := not_set("new_risk", value):
        return unset
    scalar = as_scalar(value)
    if scalar is None:
        return [Problem(f"new_risk: expected a number (float), got {type(value).__name__} {fmt(value)}.")]
    pipeline = pipeline or {}
    own = own_new_risk(pipeline)
    if own is None:
        wrong = first_wrong(pipeline)
        message = f"new_risk is {fmt(scalar)}, but your own functions cannot take the step on the sheet's data"
        message += f" yet ({wrong[0]} is not right: see its self-check)" if wrong else " (one of them raised an error)"
        return [Problem(f"{message}. It looks like {MISTAKES['rounded']} [rounded].", "rounded")]
    if not math.isclose(scalar, own, rel_tol=1e-6, abs_tol=1e-9):
        message = f"new_risk is {fmt(scalar)}, but your own functions give {fmt(own)} from the sheet's initial"
        message += " parameters (if params was changed, run its cell again). It looks like"
        return [Problem(f"{message} {MISTAKES['rounded']} [rounded].", "rounded")]
    with to_decimals(NEW_RISK_DECIMALS):
        if close(scalar, EXPECTED["new_risk"]):
            return []
    wrong = first_wrong(pipeline)
    if wrong is None:
        return [Problem(f"new_risk: got {fmt(scalar)}, which is not the sheet's value (to its 3 decimals).")]
    name, problems = wrong
    mistake = next((problem.mistake for problem in problems if problem.mistake), None)
    message = f"new_risk: got {fmt(scalar)}, which is what your functions give but not the sheet's value. The"
    message += f" first function of the step that is not right yet is {name} (see its self-check)"
    if mistake is not None:
        message += f": it looks like {MISTAKES[mistake]} [{mistake}]"
    return [Problem(message + ".", mistake)]


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


check_statement_answers = self_check(
    "statement_answers (format only)", statement_problems, "in format (the grader judges the answers)"
)
check_deep_linear_forward = self_check("deep_linear_forward", deep_linear_forward_problems, ON_THE_EXAMPLES)
check_grad_W3 = self_check("grad_W3", grad_W3_problems, ON_THE_EXAMPLES)
check_count_parameters = self_check("count_parameters", count_parameters_problems, "for networks of 2 to 4 layers")
check_sigmoid = self_check("sigmoid", sigmoid_problems, CHECKED)
check_forward = self_check("forward", forward_problems, CHECKED)
check_cross_entropy = self_check("cross_entropy", cross_entropy_problems, CHECKED)
check_backward = self_check(
    "backward", backward_problems, CHECKED, ", given the cache your forward returns (if you pass it)"
)
check_gd_step = self_check("gd_step", gd_step_problems, CHECKED)


def check_new_risk(value: Any, *functions: Callable[..., Any]) -> None:
    """Self-check of ``new_risk``, given your forward, backward, gd_step and cross_entropy (the risk
    must be what they give, and they must be right)."""
    pipeline = dict(zip(PIPELINE, functions, strict=False))
    helper = getattr(pipeline.get("forward"), "__globals__", {}).get("sigmoid")
    if callable(helper):
        pipeline["sigmoid"] = helper
    report("new_risk", new_risk_problems(value, pipeline), CHECKED_F)


#: The check of each function on the public cases, by the function's name.
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

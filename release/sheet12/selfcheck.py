"""Self-checks for sheet 12 that students run in their notebook.

Each ``check_*`` function tests one of your functions on the sheet's own numbers, in
the order type, shape, value, and says which variable is wrong, what was expected,
what came back and, when it recognises one, which common mistake explains it.
The comparisons come from ``selfcheck_kit.py`` next to this file; the course's hidden
grader uses the same checks on other inputs.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from selfcheck_kit import (
    ATOL,
    RTOL,
    Checker,
    Outcome,
    Problem,
    as_scalar,
    call,
    call_counting,
    call_quietly,
    copied,
    describe_error,
    expected_values_withheld,
    fmt,
    report,
    scaled_variants,
)
from selfcheck_kit import (  # for students: from selfcheck import check_all, gradient_check
    check_all as check_all,
)
from selfcheck_kit import (
    gradient_check as gradient_check,
)

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
    "missing_inner_derivative": "the chain rule stopped early: the factor W2 W1 x is missing",
    "rounded": "the value was typed in or rounded: compute it with your functions",
    "numerical_gradient": "the gradients were computed numerically (the forward pass run again for every"
    " parameter), not by backpropagation: part d) asks for the chain rule, layer by layer",
}

check = Checker(MISTAKES)
CHECKED = "on the sheet's numbers and on a second network (biases, 3 inputs, 4 hidden units, 5 points, lr 0.5)"
CHECKED_F = "on the sheet's numbers, as your own functions compute it"
#: T12.1 has no numbers on the sheet: its checks use a small example of their own.
ON_THE_EXAMPLE = "on a small example (x, y, W1, W2, W3 of the check)"


def grads_variants(grads: Mapping[str, np.ndarray], n: int) -> dict[str, dict[str, np.ndarray]]:
    """:func:`scaled_variants` of every gradient, grouped by mistake."""
    variants: dict[str, dict[str, np.ndarray]] = {}
    for key, grad in grads.items():
        for mistake, value in scaled_variants(grad, n, "missing_1_over_n").items():
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


# --- One case of each function: the inputs, the right answer and the known wrong ones --------


def deep_linear_forward_case(
    fn: Callable[..., Any], x: np.ndarray, weights: list, expected: float, variants: Mapping[str, float], where: str
) -> list[Problem]:
    """``deep_linear_forward(x, weights)`` against the expected F(x)."""
    value, problems = call("deep_linear_forward", fn, x, weights)
    return problems or check.compare_scalar(f"deep_linear_forward {where}", value, expected, variants)


def grad_W3_case(
    fn: Callable[..., Any], args: tuple, expected: float, variants: Mapping[str, float], where: str
) -> list[Problem]:
    """``grad_W3(x, y, W1, W2, W3)`` against the expected derivative."""
    value, problems = call("grad_W3", fn, *args)
    return problems or check.compare_scalar(f"grad_W3 {where}", value, expected, variants)


def count_parameters_case(
    fn: Callable[..., Any], layer_sizes: list[int], expected: int, variants: Mapping[str, int]
) -> list[Problem]:
    """``count_parameters(layer_sizes)``: an int equal to the expected count."""
    value, problems = call("count_parameters", fn, layer_sizes)
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
    where: str,
) -> list[Problem]:
    """``gd_step(params, grads, lr)``: new parameters, with the inputs left as they were."""
    given_params, given_grads = copied(params), copied(grads)
    outcome = call_quietly(fn, given_params, given_grads, lr)
    if outcome.error is not None:
        return [describe_error("gd_step", outcome.error)]
    problems = check.compare_dict("new_params", outcome.value, expected, step_variants(params, grads, lr), where)
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
#: The sheet's known wrong results (the grader's mistake models, as values; those that the sheet's
#: numbers make equal to the right result are left out).
SHEET_FORWARD_VARIANTS = {
    "no_output_sigmoid": {
        "Z1": np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
        "A1": np.array(
            [[0.5, 0.5], [0.5, 0.7310585786300049], [0.7310585786300049, 0.5], [0.7310585786300049, 0.7310585786300049]]
        ),
        "Z2": np.array([[0.0], [-0.2310585786300049], [0.2310585786300049], [0.0]]),
        "A2": np.array([[0.0], [-0.2310585786300049], [0.2310585786300049], [0.0]]),
    },
}
SHEET_CROSS_ENTROPY_VARIANTS = {
    "sum_instead_of_mean": 2.7859061537018075,
    "wrong_sign": -0.6964765384254519,
    "log10": 0.30247591741325186,
}
SHEET_BACKWARD_VARIANTS = {
    "missing_1_over_n": {
        "dW1": np.array([[-0.18530497479900226, 0.20892871309387562], [-0.23768322014760623, 0.20791889168396144]]),
        "db1": np.array([[-0.19968222832586757, 0.19354163815709613]]),
        "dW2": np.array([[-0.717770627571922], [-0.7443465296880878]]),
        "db2": np.array([[-1.0]]),
    },
    "wrong_sign": {
        "dW1": np.array([[0.046326243699750566, -0.052232178273468904], [0.05942080503690156, -0.05197972292099036]]),
        "db1": np.array([[0.04992055708146689, -0.04838540953927403]]),
        "dW2": np.array([[0.1794426568929805], [0.18608663242202195]]),
        "db2": np.array([[0.25]]),
    },
    "transposed": {
        "dW1": np.array([[-0.046326243699750566, -0.05942080503690156], [0.052232178273468904, 0.05197972292099036]]),
        "db1": np.array([[-0.04992055708146689], [0.04838540953927403]]),
        "dW2": np.array([[-0.1794426568929805, -0.18608663242202195]]),
    },
    "sigmoid_prime_at_Z": {
        "dW1": np.array([[0.0, 0.0], [0.0, 0.0]]),
        "db1": np.array([[0.0, 0.0]]),
        "dW2": np.array([[-0.1794426568929805], [-0.18608663242202195]]),
        "db2": np.array([[-0.25]]),
    },
    "sigmoid_prime_of_A": {
        "dW1": np.array([[-0.05168664486945717, 0.05341698907634846], [-0.06017440497650209, 0.05799428713544668]]),
        "db1": np.array([[-0.05506535281953399, 0.05461557918536987]]),
        "dW2": np.array([[-0.1794426568929805], [-0.18608663242202195]]),
        "db2": np.array([[-0.25]]),
    },
    "bias_not_summed": {
        "dW1": np.array([[-0.046326243699750566, 0.052232178273468904], [-0.05942080503690156, 0.05197972292099036]]),
        "db1": np.array(
            [
                [0.03125, -0.03125],
                [-0.03484431338171633, 0.02740323126580513],
                [-0.02174975204456533, 0.027655686618283673],
                [-0.02457649165518523, 0.02457649165518523],
            ]
        ),
        "dW2": np.array([[-0.1794426568929805], [-0.18608663242202195]]),
        "db2": np.array([[0.125], [-0.1393772535268653], [-0.11062274647313469], [-0.125]]),
    },
}
SHEET_NEW_RISK_VARIANTS = {
    "sum_instead_of_mean": 2.3381826846778417,
    "missing_1_over_n": 0.5788323739688158,
    "wrong_sign": 0.8749204841151457,
    "sigmoid_prime_at_Z": 0.59501664003163,
    "sigmoid_prime_of_A": 0.583838050276933,
    "gradient_ascent": 0.8749204841151457,
    "transposed": 0.5938777491355423,
}


# --- A second, visible network: non-zero biases, 3 inputs, 4 hidden units, 5 points, lr 0.5 ---
# (the sheet's instance has b = 0, W1 = I and lr = 1, which hide missing biases, X @ W1.T and an
# ignored learning rate)


def second_data() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Fresh copies of the second network's X, Y and parameters."""
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [-1.0, 2.0, 1.0], [0.0, 0.5, -1.5], [2.0, -0.5, 0.5]])
    Y = np.array([[1.0], [0.0], [1.0], [0.0], [1.0]])
    params = {
        "W1": np.array([[0.2, -0.4, 0.3, -0.1], [0.7, 0.1, -0.5, 0.4], [-0.3, 0.5, 0.2, 0.6]]),
        "b1": np.array([[0.1, -0.2, 0.05, 0.15]]),
        "W2": np.array([[0.6], [-0.8], [0.5], [-0.3]]),
        "b2": np.array([[0.3]]),
    }
    return X, Y, params


SECOND_LR = 0.5
SECOND_CACHE = {
    "Z1": np.array(
        [
            [-1.0999999999999999, 0.49999999999999994, 1.1, 0.9],
            [0.55, -1.05, 0.39999999999999997, -0.30000000000000004],
            [0.9999999999999999, 0.9000000000000001, -1.05, 1.65],
            [0.8999999999999999, -0.8999999999999999, -0.5, -0.5499999999999999],
            [5.551115123125783e-17, -0.8, 1.0, 0.04999999999999996],
        ]
    ),
    "A1": np.array(
        [
            [0.2497398944048824, 0.6224593312018546, 0.7502601055951176, 0.710949502625004],
            [0.6341355910108007, 0.259225100817846, 0.598687660112452, 0.42555748318834097],
            [0.7310585786300048, 0.710949502625004, 0.259225100817846, 0.8388910504234147],
            [0.7109495026250039, 0.28905049737499605, 0.3775406687981454, 0.36586440898919936],
            [0.5, 0.3100255188723875, 0.7310585786300049, 0.5124973964842103],
        ]
    ),
    "Z2": np.array(
        [
            [0.11372167369150327],
            [0.6447778590519273],
            [0.047820780359898285],
            [0.5743403153773183],
            [0.5637596552718294],
        ]
    ),
    "A2": np.array(
        [[0.5283998180156589], [0.6558327021399106], [0.5119529173222482], [0.639764075881311], [0.6373220048939807]]
    ),
}
SECOND_RISK = 0.7691056884908862
SECOND_GRADS = {
    "dW1": np.array(
        [
            [0.011840681711744842, -0.012580171058731632, 0.014327923872962596, -0.004605833440609084],
            [0.000902701789805423, -0.00236258712154473, 0.0011753675050077696, -0.005070814375645621],
            [-0.07095655674348206, 0.09934657498605537, -0.061040501141713964, 0.036474147567987954],
        ]
    ),
    "db1": np.array([[0.00103690383424071, 0.005006778323151585, 0.005452886005493786, -0.003315967034352548]]),
    "dW2": np.array([[0.04296388519016921], [-0.07960715510166244], [-0.02225996263944063], [-0.08348247065741854]]),
    "db2": np.array([[-0.005345696349378107]]),
}
SECOND_NEW_PARAMS = {
    "W1": np.array(
        [
            [0.1940796591441276, -0.3937099144706342, 0.2928360380635187, -0.09769708327969547],
            [0.6995486491050973, 0.10118129356077236, -0.5005876837525038, 0.4025354071878228],
            [-0.26452172162825893, 0.4503267125069723, 0.23052025057085698, 0.581762926216006],
        ]
    ),
    "b1": np.array([[0.09948154808287965, -0.20250338916157581, 0.04727355699725311, 0.15165798351717627]]),
    "W2": np.array([[0.5785180574049154], [-0.7601964224491689], [0.5111299813197203], [-0.2582587646712907]]),
    "b2": np.array([[0.30267284817468904]]),
}
#: The second network's known wrong results (the grader's mistake models, as values).
SECOND_FORWARD_VARIANTS = {
    "forgot_bias#both": {
        "Z1": np.array(
            [
                [-1.2, 0.7, 1.05, 0.75],
                [0.45000000000000007, -0.8500000000000001, 0.35, -0.45],
                [0.8999999999999999, 1.1, -1.1, 1.5],
                [0.7999999999999999, -0.7, -0.55, -0.7],
                [-0.09999999999999995, -0.6000000000000001, 0.95, -0.10000000000000003],
            ]
        ),
        "A1": np.array(
            [
                [0.23147521650098238, 0.668187772168166, 0.740774899182154, 0.679178699175393],
                [0.610639233949222, 0.29943285752602705, 0.5866175789173301, 0.389360766050778],
                [0.7109495026250039, 0.7502601055951176, 0.2497398944048824, 0.8175744761936437],
                [0.6899744811276124, 0.3318122278318339, 0.3658644089891993, 0.3318122278318339],
                [0.47502081252106004, 0.35434369377420455, 0.7211151780228631, 0.47502081252106],
            ]
        ),
        "Z2": np.array(
            [
                [-0.22903124799548435],
                [0.3033378139921432],
                [-0.2940407785567436],
                [0.23192344255614972],
                [0.21958887774838587],
            ]
        ),
        "A2": np.array(
            [
                [0.4429911717327611],
                [0.5752582697331265],
                [0.4270149066296871],
                [0.5577223591114946],
                [0.554677685939855],
            ]
        ),
    },
    "forgot_bias#b1": {
        "Z1": np.array(
            [
                [-1.2, 0.7, 1.05, 0.75],
                [0.45000000000000007, -0.8500000000000001, 0.35, -0.45],
                [0.8999999999999999, 1.1, -1.1, 1.5],
                [0.7999999999999999, -0.7, -0.55, -0.7],
                [-0.09999999999999995, -0.6000000000000001, 0.95, -0.10000000000000003],
            ]
        ),
        "A1": np.array(
            [
                [0.23147521650098238, 0.668187772168166, 0.740774899182154, 0.679178699175393],
                [0.610639233949222, 0.29943285752602705, 0.5866175789173301, 0.389360766050778],
                [0.7109495026250039, 0.7502601055951176, 0.2497398944048824, 0.8175744761936437],
                [0.6899744811276124, 0.3318122278318339, 0.3658644089891993, 0.3318122278318339],
                [0.47502081252106004, 0.35434369377420455, 0.7211151780228631, 0.47502081252106],
            ]
        ),
        "Z2": np.array(
            [
                [0.07096875200451563],
                [0.6033378139921433],
                [0.005959221443256391],
                [0.5319234425561497],
                [0.5195888777483859],
            ]
        ),
        "A2": np.array(
            [[0.517734745111338], [0.646419573675616], [0.5014898009519594], [0.6299316125676541], [0.6270516271564155]]
        ),
    },
    "forgot_bias#b2": {
        "Z1": np.array(
            [
                [-1.0999999999999999, 0.49999999999999994, 1.1, 0.9],
                [0.55, -1.05, 0.39999999999999997, -0.30000000000000004],
                [0.9999999999999999, 0.9000000000000001, -1.05, 1.65],
                [0.8999999999999999, -0.8999999999999999, -0.5, -0.5499999999999999],
                [5.551115123125783e-17, -0.8, 1.0, 0.04999999999999996],
            ]
        ),
        "A1": np.array(
            [
                [0.2497398944048824, 0.6224593312018546, 0.7502601055951176, 0.710949502625004],
                [0.6341355910108007, 0.259225100817846, 0.598687660112452, 0.42555748318834097],
                [0.7310585786300048, 0.710949502625004, 0.259225100817846, 0.8388910504234147],
                [0.7109495026250039, 0.28905049737499605, 0.3775406687981454, 0.36586440898919936],
                [0.5, 0.3100255188723875, 0.7310585786300049, 0.5124973964842103],
            ]
        ),
        "Z2": np.array(
            [
                [-0.18627832630849672],
                [0.34477785905192726],
                [-0.2521792196401017],
                [0.2743403153773184],
                [0.2637596552718293],
            ]
        ),
        "A2": np.array(
            [
                [0.4535646149972064],
                [0.5853506531526246],
                [0.43728719176688063],
                [0.5681581341911902],
                [0.565560272719252],
            ]
        ),
    },
    "no_output_sigmoid": {
        "Z1": np.array(
            [
                [-1.0999999999999999, 0.49999999999999994, 1.1, 0.9],
                [0.55, -1.05, 0.39999999999999997, -0.30000000000000004],
                [0.9999999999999999, 0.9000000000000001, -1.05, 1.65],
                [0.8999999999999999, -0.8999999999999999, -0.5, -0.5499999999999999],
                [5.551115123125783e-17, -0.8, 1.0, 0.04999999999999996],
            ]
        ),
        "A1": np.array(
            [
                [0.2497398944048824, 0.6224593312018546, 0.7502601055951176, 0.710949502625004],
                [0.6341355910108007, 0.259225100817846, 0.598687660112452, 0.42555748318834097],
                [0.7310585786300048, 0.710949502625004, 0.259225100817846, 0.8388910504234147],
                [0.7109495026250039, 0.28905049737499605, 0.3775406687981454, 0.36586440898919936],
                [0.5, 0.3100255188723875, 0.7310585786300049, 0.5124973964842103],
            ]
        ),
        "Z2": np.array(
            [
                [0.11372167369150327],
                [0.6447778590519273],
                [0.047820780359898285],
                [0.5743403153773183],
                [0.5637596552718294],
            ]
        ),
        "A2": np.array(
            [
                [0.11372167369150327],
                [0.6447778590519273],
                [0.047820780359898285],
                [0.5743403153773183],
                [0.5637596552718294],
            ]
        ),
    },
}
SECOND_CROSS_ENTROPY_VARIANTS = {
    "sum_instead_of_mean": 3.845528442454431,
    "wrong_sign": -0.7691056884908862,
    "log10": 0.3340183565119932,
    "broadcast_n1_vs_n#Y_hat": 0.6808356763052352,
    "broadcast_n1_vs_n#Y": 0.6808356763052352,
}
SECOND_BACKWARD_VARIANTS = {
    "missing_1_over_n": {
        "dW1": np.array(
            [
                [0.05920340855872421, -0.06290085529365816, 0.07163961936481297, -0.02302916720304542],
                [0.004513508949027115, -0.011812935607723651, 0.0058768375250388485, -0.025354071878228107],
                [-0.3547827837174103, 0.49673287493027685, -0.3052025057085698, 0.18237073783993976],
            ]
        ),
        "db1": np.array([[0.00518451917120355, 0.025033891615757926, 0.02726443002746893, -0.01657983517176274]]),
        "dW2": np.array([[0.21481942595084602], [-0.3980357755083122], [-0.11129981319720315], [-0.4174123532870927]]),
        "db2": np.array([[-0.026728481746890534]]),
    },
    "wrong_sign": {
        "dW1": np.array(
            [
                [-0.011840681711744842, 0.012580171058731632, -0.014327923872962596, 0.004605833440609084],
                [-0.000902701789805423, 0.00236258712154473, -0.0011753675050077696, 0.005070814375645621],
                [0.07095655674348206, -0.09934657498605537, 0.061040501141713964, -0.036474147567987954],
            ]
        ),
        "db1": np.array([[-0.00103690383424071, -0.005006778323151585, -0.005452886005493786, 0.003315967034352548]]),
        "dW2": np.array([[-0.04296388519016921], [0.07960715510166244], [0.02225996263944063], [0.08348247065741854]]),
        "db2": np.array([[0.005345696349378107]]),
    },
    "transposed": {
        "dW1": np.array(
            [
                [0.011840681711744842, 0.000902701789805423, -0.07095655674348206],
                [-0.012580171058731632, -0.00236258712154473, 0.09934657498605537],
                [0.014327923872962596, 0.0011753675050077696, -0.061040501141713964],
                [-0.004605833440609084, -0.005070814375645621, 0.036474147567987954],
            ]
        ),
        "db1": np.array(
            [[0.00103690383424071], [0.005006778323151585], [0.005452886005493786], [-0.003315967034352548]]
        ),
        "dW2": np.array([[0.04296388519016921, -0.07960715510166244, -0.02225996263944063, -0.08348247065741854]]),
    },
    "sigmoid_prime_at_Z": {
        "dW1": np.array(
            [
                [0.09458113210336266, 0.17408527942975136, -0.07884835626843541, 0.05776614267888621],
                [-0.12727284443630021, 0.12449197931852235, 0.1809255142453952, -0.04951315042570363],
                [0.24135184723606368, -0.3725181805370891, 0.17953080466101012, -0.08255487299888688],
            ]
        ),
        "db1": np.array([[0.15711525371913282, 0.3432391089756183, 0.07799741570847335, 0.02024486120985723]]),
        "dW2": np.array(
            [[0.04296388519016921], [-0.07960715510166244], [-0.02225996263944063], [-0.08348247065741854]]
        ),
        "db2": np.array([[-0.005345696349378107]]),
    },
    "sigmoid_prime_of_A": {
        "dW1": np.array(
            [
                [0.01216048028369434, -0.01904276960325578, 0.013464672300333744, -0.006956595286275062],
                [0.0018284984698172385, -0.0022645045909653744, -0.0020253791316650095, -0.0011005192534058418],
                [-0.08016883297102624, 0.1091219561150514, -0.06718754039577685, 0.03984588189246809],
            ]
        ),
        "db1": np.array(
            [[-0.0022237751080729524, -0.002299348921102326, 0.00021836097127394573, -0.0011691609348976105]]
        ),
        "dW2": np.array(
            [[0.04296388519016921], [-0.07960715510166244], [-0.02225996263944063], [-0.08348247065741854]]
        ),
        "db2": np.array([[-0.005345696349378107]]),
    },
    "bias_not_summed": {
        "dW1": np.array(
            [
                [0.011840681711744842, -0.012580171058731632, 0.014327923872962596, -0.004605833440609084],
                [0.000902701789805423, -0.00236258712154473, 0.0011753675050077696, -0.005070814375645621],
                [-0.07095655674348206, 0.09934657498605537, -0.061040501141713964, 0.036474147567987954],
            ]
        ),
        "db1": np.array(
            [
                [-0.010603640315159372, 0.01773244695060283, -0.008836366929299478, 0.005814838940426967],
                [0.018258983948739406, -0.02015006080910595, 0.01575708540978171, -0.009619425307002142],
                [-0.011514705652576576, 0.01604701207804369, -0.0093718435753276, 0.003957657423510355],
                [0.01577660570641783, -0.02103547427522377, 0.015034693276533067, -0.008905809327883228],
                [-0.010880339853180578, 0.012412854378834784, -0.007130682176193914, 0.0054367712365955],
            ]
        ),
        "dW2": np.array(
            [[0.04296388519016921], [-0.07960715510166244], [-0.02225996263944063], [-0.08348247065741854]]
        ),
        "db2": np.array(
            [
                [-0.09432003639686821],
                [0.13116654042798212],
                [-0.09760941653555036],
                [0.1279528151762622],
                [-0.07253559902120385],
            ]
        ),
    },
}
SECOND = "on the second network"


# --- Checks on the sheet's instance, shared by the self-checks and the hidden grader ---------


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
    """T12.2a: the sheet's network [2, 2, 1] has 9 parameters, a [3, 4, 2] network 26."""
    return count_parameters_case(fn, [2, 2, 1], 9, {"weights_only": 6}) or count_parameters_case(
        fn, [3, 4, 2], 26, {"weights_only": 20}
    )


#: Inputs far out on both sides: sigmoid must give 0 and 1 there, not nan or an error.
LARGE_Z = np.array([[-800.0, -40.0, 0.0, 40.0, 800.0]])
LARGE_A = np.array([[0.0, 4.248354255291589e-18, 0.5, 1.0, 1.0]])


def sigmoid_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2b: sigmoid of the sheet's Z1 is its A1, of the second network's Z1 its A1, and of
    inputs of +-800 are 0 and 1."""
    A1, A1_second = SHEET_CACHE["A1"], SECOND_CACHE["A1"]
    return (
        sigmoid_case(fn, SHEET_CACHE["Z1"], A1, {"wrong_sign": 1 - A1}, "on the sheet's Z1")
        or sigmoid_case(fn, SECOND_CACHE["Z1"], A1_second, {"wrong_sign": 1 - A1_second}, "on the second network's Z1")
        or sigmoid_case(fn, LARGE_Z, LARGE_A, {"wrong_sign": 1 - LARGE_A}, "on inputs of +-800")
    )


def forward_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2b: Y_hat and the cache on the sheet's data, then on the second network."""
    X, _, params = sheet_data()
    problems = forward_case(fn, X, params, SHEET_CACHE, SHEET_FORWARD_VARIANTS, SHEET)
    if problems:
        return problems
    X2, _, params2 = second_data()
    problems = forward_case(fn, X2, params2, SECOND_CACHE, SECOND_FORWARD_VARIANTS, SECOND)
    if problems and not any(problem.mistake for problem in problems):
        # X @ W1.T fails on a (3, 4) W1; given W1 transposed, such a forward is right.
        swapped = {**params2, "W1": params2["W1"].T}
        if not forward_case(fn, X2, swapped, SECOND_CACHE, {}, SECOND):
            message = f"forward {SECOND}: it is right only when given W1 transposed. It looks like"
            return [Problem(f"{message} {MISTAKES['weights_transposed']} [weights_transposed].", "weights_transposed")]
    return problems


def cross_entropy_problems(fn: Callable[..., Any]) -> list[Problem]:
    """T12.2c: the empirical risk 0.696 at full precision, then on the second network."""
    _, Y, _ = sheet_data()
    _, Y2, _ = second_data()
    return cross_entropy_case(fn, Y, SHEET_CACHE["A2"], SHEET_RISK, SHEET_CROSS_ENTROPY_VARIANTS, SHEET) or (
        cross_entropy_case(fn, Y2, SECOND_CACHE["A2"], SECOND_RISK, SECOND_CROSS_ENTROPY_VARIANTS, SECOND)
    )


def backward_problems(fn: Callable[..., Any], forward: Callable[..., Any] | None = None) -> list[Problem]:
    """T12.2d: the four gradients, shaped like their parameters, on the sheet's data and then on the
    second network (given ``forward``, with the cache it returns); then what it costs on a wide one."""
    X, Y, params = sheet_data()
    cache = cache_for_backward(forward, X, params, SHEET_CACHE)
    X2, Y2, params2 = second_data()
    cache2 = cache_for_backward(forward, X2, params2, SECOND_CACHE)
    return (
        backward_case(fn, (X, Y, params, cache), SHEET_GRADS, SHEET_BACKWARD_VARIANTS, SHEET)
        or backward_case(fn, (X2, Y2, params2, cache2), SECOND_GRADS, SECOND_BACKWARD_VARIANTS, SECOND)
        or backward_cost(fn, wide_args(forward), WIDE)[1]
    )


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
    """T12.2e: the sheet's update with lr = 1."""
    _, _, params = sheet_data()
    _, _, params2 = second_data()
    return gd_step_case(fn, params, SHEET_GRADS, SHEET_LR, SHEET_NEW_PARAMS, SHEET) or gd_step_case(
        fn, params2, SECOND_GRADS, SECOND_LR, SECOND_NEW_PARAMS, SECOND
    )


#: The functions part f) takes its step with, in the order they run.
PIPELINE = ("forward", "backward", "gd_step", "cross_entropy")


def own_new_risk(pipeline: Mapping[str, Callable[..., Any]]) -> float | None:
    """The risk after one step on the sheet's data computed with these functions (None if one of
    them raises or returns something unusable)."""
    X, Y, params = sheet_data()
    fns = [pipeline.get(name) for name in PIPELINE]
    if not all(callable(fn) for fn in fns):
        return None
    forward, backward, gd_step, cross_entropy = fns
    try:
        _, cache = call("forward", forward, X, params)[0]
        grads = call("backward", backward, X, Y, params, cache)[0]
        stepped = call("gd_step", gd_step, params, grads, SHEET_LR)[0]
        return as_scalar(call("cross_entropy", cross_entropy, Y, call("forward", forward, X, stepped)[0][0])[0])
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def first_wrong(pipeline: Mapping[str, Callable[..., Any]]) -> tuple[str, list[Problem]] | None:
    """The first function of part f)'s step whose self-check fails, with its self-check's problems."""
    checks = {"forward": forward_problems, "backward": lambda fn: backward_problems(fn, pipeline.get("forward")),
              "gd_step": gd_step_problems, "cross_entropy": cross_entropy_problems}  # fmt: skip
    for name in PIPELINE:
        if callable(pipeline.get(name)) and (problems := checks[name](pipeline[name])):
            return name, problems
    return None


def new_risk_problems(value: Any, pipeline: Mapping[str, Callable[..., Any]] | None = None) -> list[Problem]:
    """T12.2f: the risk after one step with lr = 1, as the student's own functions compute it (given
    ``pipeline``), and right. The expected value is never printed: it could be typed in. When a
    function of the step is wrong, the problem names it and its mistake; when the functions cannot
    take the step at all, no value is accepted (it was not computed with them)."""
    if unset := not_set("new_risk", value):
        return unset
    scalar = as_scalar(value)
    if scalar is None:
        return [Problem(f"new_risk: expected a number (float), got {type(value).__name__} {fmt(value)}.")]
    own = own_new_risk(pipeline) if pipeline else None
    if pipeline and own is None:
        wrong = first_wrong(pipeline)
        message = f"new_risk is {fmt(scalar)}, but your own functions cannot take the step on the sheet's data"
        message += f" yet ({wrong[0]} is not right: see its self-check)" if wrong else " (one of them raised an error)"
        return [Problem(f"{message}. It looks like {MISTAKES['rounded']} [rounded].", "rounded")]
    if own is not None and not math.isclose(scalar, own, rel_tol=RTOL, abs_tol=ATOL):
        message = f"new_risk is {fmt(scalar)}, but your own functions give {fmt(own)} from the sheet's initial"
        message += " parameters (if params was changed, run its cell again). It looks like"
        return [Problem(f"{message} {MISTAKES['rounded']} [rounded].", "rounded")]
    if math.isclose(scalar, SHEET_NEW_RISK, rel_tol=RTOL, abs_tol=ATOL):
        return []
    if own is None and abs(scalar - SHEET_NEW_RISK) < 1e-3:
        return [Problem(f"new_risk: got {fmt(scalar)}. It looks like {MISTAKES['rounded']} [rounded].", "rounded")]
    wrong = first_wrong(pipeline) if pipeline else None
    if wrong is None:
        with expected_values_withheld():
            return check.compare_scalar("new_risk", scalar, SHEET_NEW_RISK, SHEET_NEW_RISK_VARIANTS)
    name, problems = wrong
    mistake = next((problem.mistake for problem in problems if problem.mistake), None)
    message = f"new_risk: got {fmt(scalar)}, which is not the expected value. The first function of the step"
    message += f" that is not right yet is {name} (see its self-check)"
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


def check_statement_answers(answers: Any) -> None:
    """Self-check of T12.1.1 (the format only: the grader judges the answers)."""
    report("statement_answers (format only)", statement_problems(answers), "in format (the grader judges the answers)")


def check_deep_linear_forward(fn: Callable[..., Any]) -> None:
    """Self-check of ``deep_linear_forward``."""
    report("deep_linear_forward", deep_linear_forward_problems(fn), ON_THE_EXAMPLE)


def check_grad_W3(fn: Callable[..., Any]) -> None:
    """Self-check of ``grad_W3``."""
    report("grad_W3", grad_W3_problems(fn), ON_THE_EXAMPLE)


def check_count_parameters(fn: Callable[..., Any]) -> None:
    """Self-check of ``count_parameters``."""
    report("count_parameters", count_parameters_problems(fn), CHECKED)


def check_sigmoid(fn: Callable[..., Any]) -> None:
    """Self-check of ``sigmoid``."""
    report("sigmoid", sigmoid_problems(fn), CHECKED)


def check_forward(fn: Callable[..., Any]) -> None:
    """Self-check of ``forward``."""
    report("forward", forward_problems(fn), CHECKED)


def check_cross_entropy(fn: Callable[..., Any]) -> None:
    """Self-check of ``cross_entropy``."""
    report("cross_entropy", cross_entropy_problems(fn), CHECKED)


def check_backward(fn: Callable[..., Any], forward: Callable[..., Any] | None = None) -> None:
    """Self-check of ``backward``, given the cache your ``forward`` returns (if you pass it)."""
    report("backward", backward_problems(fn, forward), CHECKED)


def check_gd_step(fn: Callable[..., Any]) -> None:
    """Self-check of ``gd_step``."""
    report("gd_step", gd_step_problems(fn), CHECKED)


def check_new_risk(value: Any, *functions: Callable[..., Any]) -> None:
    """Self-check of ``new_risk``, given your forward, backward, gd_step and cross_entropy (the risk
    must be what they give)."""
    report("new_risk", new_risk_problems(value, dict(zip(PIPELINE, functions, strict=False))), CHECKED_F)


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

"""Sheet 12's hidden checks: one function per autograded cell, free of notebook state.

Each check takes the student's answers as a mapping of names to callables and values
(how they got there is the runner's business) and a random generator for the hidden
inputs, and returns a :class:`Verdict`. It first re-runs the public self-check on the
sheet's numbers, then tries hidden cases, and stops at the first case that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from autograder.assignments.sheet12 import cases, mistakes
from autograder.assignments.sheet12 import reference as ref
from autograder.assignments.sheet12.public import selfcheck
from autograder.grading.selfcheck_kit import numerical_gradient
from autograder.grading.verdict import Verdict, first_failure, missing

Problem = selfcheck.Problem
Student = Mapping[str, Any]


def check_statement_answers(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.1.1: a quarter of the points per correct statement."""
    if (absent := missing(student, "statement_answers")) is not None:
        return absent
    answers = student["statement_answers"]
    problems = selfcheck.statement_problems(answers)
    if problems:
        return Verdict(0.0, tuple(problems), public_passed=False)
    total = len(ref.STATEMENT_ANSWERS)
    right = sum(bool(answer) == expected for answer, expected in zip(answers, ref.STATEMENT_ANSWERS, strict=False))
    if right == total:
        return Verdict(1.0)
    # How many, not which: students may resubmit before the deadline (Gradescope).
    message = f"{right} of the {total} statements are judged correctly; think again about the others."
    return Verdict(right / total, (Problem(message),))


def check_deep_linear_forward(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.1.2: F(x) for depths 1 to 4 and varied widths."""
    fn = student.get("deep_linear_forward")

    def case(widths: list[int]) -> Callable[[], list[Problem]]:
        x, weights = rng.normal(size=widths[0]), cases.deep_weights(rng, widths)
        expected = ref.deep_linear_forward(x, weights)
        variants = mistakes.deep_linear_forward_variants(x, weights)
        return lambda: selfcheck.deep_linear_forward_case(fn, x, weights, expected, variants, f"with widths {widths}")

    hidden = [case(widths) for widths in ([3, 1], [2, 4, 3, 1], [4, 2, 5, 3, 1])]
    return missing(student, "deep_linear_forward") or first_failure(
        lambda: selfcheck.deep_linear_forward_problems(fn), hidden
    )


def check_grad_W3(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.1.2: the derivative, checked against centered finite differences."""
    fn = student.get("grad_W3")

    def case(c: cases.LinearCase) -> Callable[[], list[Problem]]:
        def loss(W3: np.ndarray) -> float:
            return (c.y - ref.deep_linear_forward(c.x, [c.W1, c.W2, W3.reshape(1, 1)])) ** 2

        expected = float(numerical_gradient(loss, np.array(c.W3))[()])
        args = (c.x, c.y, c.W1, c.W2, c.W3)
        variants = mistakes.grad_W3_variants(*args)
        return lambda: selfcheck.grad_W3_case(fn, args, expected, variants, c.describe())

    hidden = [case(c) for c in cases.linear_cases(rng)]
    return missing(student, "grad_W3") or first_failure(lambda: selfcheck.grad_W3_problems(fn), hidden)


def check_count_parameters(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.2a: other layer widths than the sheet's."""
    fn = student.get("count_parameters")
    hidden = [
        (
            lambda s=sizes: selfcheck.count_parameters_case(
                fn, s, ref.count_parameters(s), mistakes.count_parameters_variants(s)
            )
        )
        for sizes in cases.LAYER_SIZES
    ]
    return missing(student, "count_parameters") or first_failure(
        lambda: selfcheck.count_parameters_problems(fn), hidden
    )


def check_sigmoid(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.2b: several shapes, including values that overflow a naive exp."""
    fn = student.get("sigmoid")
    hidden = [
        (
            lambda Z=Z: selfcheck.sigmoid_case(
                fn, Z, ref.sigmoid(Z), mistakes.sigmoid_variants(Z), f"on a hidden {Z.shape} input"
            )
        )
        for Z in cases.sigmoid_inputs(rng)
    ]
    return missing(student, "sigmoid") or first_failure(lambda: selfcheck.sigmoid_problems(fn), hidden)


def check_forward(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.2b: Y_hat and cache on hidden networks with non-zero biases."""
    fn = student.get("forward")
    hidden = [
        (
            lambda c=c: selfcheck.forward_case(
                fn, c.X, c.params, ref.forward(c.X, c.params)[1], mistakes.forward_variants(c.X, c.params), c.describe()
            )
        )
        for c in cases.network_cases(rng)
    ]
    return missing(student, "forward") or first_failure(lambda: selfcheck.forward_problems(fn), hidden)


def check_cross_entropy(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.2c: random predictions for hidden label vectors."""
    fn = student.get("cross_entropy")

    def case(c: cases.NetworkCase) -> Callable[[], list[Problem]]:
        Y_hat = rng.uniform(0.05, 0.95, size=c.Y.shape)
        expected = ref.cross_entropy(c.Y, Y_hat)
        variants = mistakes.cross_entropy_variants(c.Y, Y_hat)
        return lambda: selfcheck.cross_entropy_case(fn, c.Y, Y_hat, expected, variants, c.describe())

    hidden = [case(c) for c in cases.network_cases(rng)]
    return missing(student, "cross_entropy") or first_failure(lambda: selfcheck.cross_entropy_problems(fn), hidden)


def numerical_grads(X: np.ndarray, Y: np.ndarray, params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Centered finite-difference gradients of the risk w.r.t. every parameter."""
    return {
        "d" + key: numerical_gradient(lambda value, key=key: ref.risk(X, Y, {**params, key: value}), params[key])
        for key in params
    }


def backprop_cost(fn: Any, forward: Any, c: cases.NetworkCase) -> Callable[[], list[Problem]]:
    """The wide hidden case: backpropagation's cost (the public check's rule), then the gradients."""

    def attempt() -> list[Problem]:
        cache = selfcheck.cache_for_backward(forward, c.X, c.params, ref.forward(c.X, c.params)[1])
        value, problems = selfcheck.backward_cost(fn, (c.X, c.Y, c.params, cache), c.describe())
        if problems:
            return problems
        expected = ref.backward(c.X, c.Y, c.params, ref.forward(c.X, c.params)[1])
        variants = mistakes.backward_variants(c.X, c.Y, c.params)
        return selfcheck.check.compare_dict("grads", value, expected, variants, c.describe())

    return attempt


def check_backward(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.2d: gradients against finite differences on hidden networks, then backpropagation's cost
    on a wide one."""
    fn, forward = student.get("backward"), student.get("forward")

    def case(c: cases.NetworkCase) -> Callable[[], list[Problem]]:
        cache = selfcheck.cache_for_backward(forward, c.X, c.params, ref.forward(c.X, c.params)[1])
        expected = numerical_grads(c.X, c.Y, c.params)
        variants = mistakes.backward_variants(c.X, c.Y, c.params)
        return lambda: selfcheck.backward_case(fn, (c.X, c.Y, c.params, cache), expected, variants, c.describe())

    hidden = [case(c) for c in cases.network_cases(rng)] + [backprop_cost(fn, forward, cases.wide_network_case(rng))]
    return missing(student, "backward") or first_failure(lambda: selfcheck.backward_problems(fn, forward), hidden)


def check_gd_step(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.2e: random gradients and learning rates; the inputs must stay unchanged."""
    fn = student.get("gd_step")

    def case(c: cases.NetworkCase) -> Callable[[], list[Problem]]:
        grads = {"d" + key: rng.normal(size=value.shape) for key, value in c.params.items()}
        expected = ref.gd_step(c.params, grads, c.lr)
        variants = mistakes.step_variants(c.params, grads, c.lr)
        return lambda: selfcheck.gd_step_case(fn, c.params, grads, c.lr, expected, variants, c.describe())

    hidden = [case(c) for c in cases.network_cases(rng)]
    return missing(student, "gd_step") or first_failure(lambda: selfcheck.gd_step_problems(fn), hidden)


def check_new_risk(student: Student, rng: np.random.Generator) -> Verdict:
    """T12.2f: the risk after one step on the sheet, as the student's own functions compute it (in
    the jail, each calling the student's own helpers: the check is declared with ``own_helpers``),
    and right; when their step is wrong, the first function on the way that is wrong and its
    mistake. Hidden: the value at full precision."""
    if (absent := missing(student, "new_risk")) is not None:
        return absent
    value = student["new_risk"]
    pipeline = {name: student.get(name) for name in selfcheck.STEP}

    def precise() -> list[Problem]:
        X, Y, params = selfcheck.sheet_data()
        expected = ref.risk_after_step(X, Y, params, selfcheck.NETWORKS["sheet"]["lr"])
        return selfcheck.check.compare_scalar("new_risk", value, expected)

    return first_failure(lambda: selfcheck.new_risk_problems(value, pipeline), [precise])

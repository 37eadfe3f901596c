"""The expected values of sheet 12's public self-checks, computed from the reference and the
mistake models for the public cases that ``selfcheck.py`` declares.

The build writes them into ``selfcheck_values.py`` next to the students' ``selfcheck.py``; the
grader computes them here. Values on the sheet's own instance are rounded to one decimal more
than the sheet prints (``GIVEN_DECIMALS`` there), and checked to the sheet's decimals, so nothing
about the sheet is more precise than the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

import numpy as np

from autograder.assignments.sheet12 import mistakes
from autograder.assignments.sheet12 import reference as ref


def _rounded(value: Any, decimals: int | None) -> Any:
    """``value`` (numbers, arrays, and dicts, lists and tuples of them) to ``decimals`` places."""
    if decimals is None:
        return value
    if isinstance(value, Mapping):
        return {key: _rounded(item, decimals) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_rounded(item, decimals) for item in value)
    if isinstance(value, np.ndarray):
        return np.round(value, decimals) + 0.0  # + 0.0: no -0.0
    return round(float(value), decimals) + 0.0


def _different(variants: Mapping[str, Any], expected: Any) -> dict[str, Any]:
    """The variants that differ from the expected value (those the inputs make equal are no use)."""

    def same(variant: Any) -> bool:
        if isinstance(variant, Mapping):
            return all(same_array(variant[key], expected[key]) for key in variant)
        return same_array(variant, expected)

    def same_array(a: Any, b: Any) -> bool:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=1e-12))

    return {name: variant for name, variant in variants.items() if not same(variant)}


def network_values(X: np.ndarray, Y: np.ndarray, params: Mapping[str, np.ndarray], lr: float) -> dict[str, Any]:
    """Expected results and known wrong ones of every network function on one public network."""
    cache = ref.forward(X, params)[1]
    grads = ref.backward(X, Y, params, cache)
    new_params = ref.gd_step(params, grads, lr)
    risk = ref.cross_entropy(Y, cache["A2"])
    return {
        "cache": cache,
        "sigmoid_variants": _different(mistakes.sigmoid_variants(cache["Z1"]), cache["A1"]),
        "forward_variants": _different(mistakes.forward_variants(X, params), cache),
        "risk": risk,
        "cross_entropy_variants": _different(mistakes.cross_entropy_variants(Y, cache["A2"]), risk),
        "grads": grads,
        "backward_variants": _different(mistakes.backward_variants(X, Y, params), grads),
        "new_params": new_params,
        "step_variants": _different(mistakes.step_variants(params, grads, lr), new_params),
    }


def expected(public: ModuleType) -> dict[str, Any]:
    """Everything the public checks of ``public`` (the loaded ``selfcheck.py``) compare with."""
    networks = {}
    for name, network in public.NETWORKS.items():
        X, Y, params = public.network_data(name)
        networks[name] = _rounded(network_values(X, Y, params, network["lr"]), public.GIVEN_DECIMALS.get(name))
    X, Y, params = public.network_data("sheet")
    large = np.array(public.LARGE_Z)
    return {
        "networks": networks,
        "new_risk": _rounded(
            ref.risk_after_step(X, Y, params, public.NETWORKS["sheet"]["lr"]), public.NEW_RISK_DECIMALS
        ),
        "large_sigmoid": {"value": ref.sigmoid(large), "variants": mistakes.sigmoid_variants(large)},
        "deep_linear_forward": [
            {
                "value": ref.deep_linear_forward(np.array(x), [np.array(W) for W in weights]),
                "variants": mistakes.deep_linear_forward_variants(np.array(x), [np.array(W) for W in weights]),
            }
            for x, weights in public.DEPTH_EXAMPLES
        ],
        "grad_W3": [
            {
                "value": ref.grad_W3(np.array(x), y, np.array(W1), np.array(W2), W3),
                "variants": mistakes.grad_W3_variants(np.array(x), y, np.array(W1), np.array(W2), W3),
                "F": ref.deep_linear_forward(np.array(x), [np.array(W1), np.array(W2), np.array([[W3]])]),
            }
            for x, y, W1, W2, W3 in public.LINEAR_EXAMPLES
        ],
        "count_parameters": [
            {"value": ref.count_parameters(sizes), "variants": mistakes.count_parameters_variants(sizes)}
            for sizes in public.LAYER_SIZES
        ],
    }

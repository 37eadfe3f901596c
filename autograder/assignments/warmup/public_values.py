"""The expected values of the warm-up's public self-checks, computed from the reference and the
mistake models for the examples that ``selfcheck.py`` declares (the build writes them into
``selfcheck_values.py`` next to the students' ``selfcheck.py``; the grader computes them here)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from autograder.assignments.warmup import mistakes
from autograder.assignments.warmup import reference as ref


def expected(public: ModuleType) -> dict[str, Any]:
    """Everything the public checks of ``public`` (the loaded ``selfcheck.py``) compare with."""
    X, Z, small = np.array(public.CENTER_X), np.array(public.SIGMOID_Z), np.array(public.SMALL_Z)
    scores = np.array(public.SOFTMAX_Z)
    cases = [public.predict_args(b) for b in public.PREDICT_BIASES]
    return {
        "center_columns": {"value": ref.center_columns(X), "variants": mistakes.center_columns_variants(X)},
        "sigmoid": {"value": ref.sigmoid(Z), "variants": mistakes.sigmoid_variants(Z)},
        "softmax": {"value": ref.softmax(scores), "variants": _finite(mistakes.softmax_variants(scores))},
        "softmax_small": {"value": ref.softmax(small), "variants": mistakes.softmax_variants(small)},
        "predict_proba": [
            {"value": ref.predict_proba(*args), "variants": _finite(mistakes.predict_proba_variants(*args))}
            for args in cases
        ],
    }


def _finite(variants: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The variants a result can be recognised by (one with nan or inf matches nothing)."""
    return {name: value for name, value in variants.items() if np.all(np.isfinite(value))}

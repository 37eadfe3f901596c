"""Warm-up "NumPy broadcasting, the sigmoid and the softmax": the declaration the grading engine reads.

W.1 centering the columns of a data matrix, W.2 an overflow-free sigmoid, W.3 a numerically
stable row-wise softmax, a linear softmax classifier built on it and a written answer on why
the stabilisation works. Points come from the notebook.
"""

from pathlib import Path

from autograder.assignments.warmup import checks, reference
from autograder.assignments.warmup.public import selfcheck
from autograder.grading.assignment import Assignment, HiddenCheck, Part

ASSIGNMENT = Assignment(
    id="warmup",
    parts=(
        Part("w1", "W.1"),
        Part("w2", "W.2"),
        Part("w3", "W.3"),
    ),
    checks=(
        HiddenCheck("w1_center_columns", "center_columns", checks.check_center_columns),
        HiddenCheck("w2_sigmoid", "sigmoid", checks.check_sigmoid),
        HiddenCheck("w3_softmax", "softmax", checks.check_softmax),
        HiddenCheck("w3_predict_proba", "predict_proba", checks.check_predict_proba),
    ),
    values=(),
    # While predict_proba is checked, softmax is the reference one (declared with the self-checks, which
    # judge it alone too): a wrong softmax costs only its own cell.
    dependencies=selfcheck.DEPENDENCIES,
    reference=reference,
    folder=Path(__file__).resolve().parent,
    bundled=("correct", "blank", "softmax_columns"),
)

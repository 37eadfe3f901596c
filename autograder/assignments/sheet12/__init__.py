"""Sheet 12 "SGD and Neural Networks": the declaration the grading engine reads.

T12.1 (a deep linear network: four statements, the gradient of (y - W3 W2 W1 x)^2 w.r.t. a
scalar W3) and T12.2 a-f (a 2-2-1 sigmoid network: parameters, forward pass, cross-entropy,
backpropagation, one gradient-descent step and the new risk). Points come from the notebook.
"""

from pathlib import Path

from autograder.assignments.sheet12 import checks, reference
from autograder.assignments.sheet12.public import selfcheck
from autograder.grading.assignment import Assignment, HiddenCheck, Part

ASSIGNMENT = Assignment(
    id="sheet12",
    parts=(
        Part("t12_1_1", "T12.1.1"),
        Part("t12_1_2", "T12.1.2"),
        Part("t12_2a", "T12.2a"),
        Part("t12_2b", "T12.2b"),
        Part("t12_2c", "T12.2c"),
        Part("t12_2d", "T12.2d"),
        Part("t12_2e", "T12.2e"),
        Part("t12_2f", "T12.2f"),
    ),
    checks=(
        HiddenCheck("t12_1_1_statements", "statement_answers", checks.check_statement_answers),
        HiddenCheck("t12_1_2_deep_linear_forward", "deep_linear_forward", checks.check_deep_linear_forward),
        HiddenCheck("t12_1_2_grad_W3", "grad_W3", checks.check_grad_W3),
        HiddenCheck("t12_2a_count_parameters", "count_parameters", checks.check_count_parameters),
        HiddenCheck("t12_2b_sigmoid", "sigmoid", checks.check_sigmoid),
        HiddenCheck("t12_2b_forward", "forward", checks.check_forward),
        HiddenCheck("t12_2c_cross_entropy", "cross_entropy", checks.check_cross_entropy),
        HiddenCheck("t12_2d_backward", "backward", checks.check_backward),
        HiddenCheck("t12_2e_gd_step", "gd_step", checks.check_gd_step),
        HiddenCheck("t12_2f_new_risk", "new_risk", checks.check_new_risk, own_helpers=True),
    ),
    values=("statement_answers", "new_risk"),
    # Contract functions each function may call (declared with the self-checks, which judge each
    # function alone too); while it is checked, those are the reference ones, so that one mistake
    # costs one cell.
    dependencies=selfcheck.DEPENDENCIES,
    reference=reference,
    folder=Path(__file__).resolve().parent,
    bundled=("correct", "blank", "sum_instead_of_mean", "transposed_dW1"),
)

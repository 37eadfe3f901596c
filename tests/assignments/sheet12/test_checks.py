"""The hidden checks on their own, fed plain Python namespaces (no notebook, no nbgrader).

They must give full marks to any reasonable correct style, zero to code that only
reproduces the sheet's numbers, and name what is wrong.
"""

from __future__ import annotations

import contextlib
import io
import sys
from unittest import mock

import numpy as np
import pytest

from autograder.assignments.sheet12 import reference as ref
from autograder.assignments.sheet12.public import selfcheck
from autograder.grading import notebooks
from autograder.grading.samples import Sample
from autograder.grading.verdict import CellResult
from tests import local_run
from tests.conftest import SAMPLES, SHEET12


def namespace(**replacements: str) -> dict:
    """The release notebook's namespace with the instructor's solutions, some replaced (keys: test cell grade ids)."""
    return local_run.namespace(SHEET12, selfcheck, **replacements)


def verdict(ns: dict, grade_id: str) -> CellResult:
    return local_run.verdict(SHEET12, ns, grade_id)


def full(result: CellResult) -> bool:
    return result.points == result.max_points


def test_instructor_solutions_get_full_marks_everywhere() -> None:
    ns = namespace()
    for cell in SHEET12.autograded:
        result = verdict(ns, cell.grade_id)
        assert full(result), (cell.grade_id, result.problems)


VALID_STYLES = {
    "t12_2c_cross_entropy": [
        """
        def cross_entropy(Y, Y_hat):
            Y_hat = np.clip(Y_hat, 1e-15, 1 - 1e-15)
            return np.mean(-(Y * np.log(Y_hat) + (1 - Y) * np.log1p(-Y_hat)))
        """,
        """
        def cross_entropy(Y, Y_hat):
            logits = np.log(Y_hat) - np.log1p(-Y_hat)
            return float(np.mean(np.logaddexp(0, -logits) * Y + np.logaddexp(0, logits) * (1 - Y)))
        """,
        """
        def cross_entropy(Y, Y_hat):
            n = Y.shape[0]
            return -(Y.T @ np.log(Y_hat) + (1 - Y).T @ np.log(1 - Y_hat)) / n
        """,
    ],
    "t12_2b_sigmoid": [
        """
        def sigmoid(Z):
            return np.where(Z >= 0, 1 / (1 + np.exp(-Z)), np.exp(Z) / (1 + np.exp(Z)))
        """,
        """
        def sigmoid(Z):
            return 0.5 * (1 + np.tanh(Z / 2))
        """,
    ],
    "t12_2b_forward": [
        """
        def forward(X, params):
            Z1 = np.dot(X, params["W1"]) + np.ones((X.shape[0], 1)) @ params["b1"]
            A1 = sigmoid(Z1)
            Z2 = np.einsum("nh,ho->no", A1, params["W2"]) + params["b2"]
            return sigmoid(Z2), {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": sigmoid(Z2), "extra": 42}
        """,
    ],
    "t12_2d_backward": [
        """
        def backward(X, Y, params, cache):
            Y_hat, fresh = forward(X, params)  # recomputes the forward pass
            n = len(X)
            dZ2 = (Y_hat - Y) / n
            s = sigmoid(fresh["Z1"])
            dZ1 = np.outer(dZ2, params["W2"]) * s * (1 - s)  # sigmoid' from Z
            return {"dW1": np.einsum("nd,nh->dh", X, dZ1), "db1": dZ1.sum(0)[None, :],
                    "dW2": np.dot(fresh["A1"].T, dZ2), "db2": np.array([[dZ2.sum()]])}
        """,
    ],
    "t12_2e_gd_step": [
        """
        import copy
        def gd_step(params, grads, lr):
            new = copy.deepcopy(params)
            for key in new:
                new[key] -= lr * grads["d" + key]
            return new
        """,
    ],
    "t12_1_2_deep_linear_forward": [
        """
        from functools import reduce
        def deep_linear_forward(x, weights):
            return np.float64(reduce(lambda out, W: W @ out, weights, x).item())
        """,
    ],
    "t12_1_2_grad_W3": [
        """
        def grad_W3(x, y, W1, W2, W3):
            inner = W2 @ W1 @ x
            return -2 * (y - W3 * inner) * inner  # a one-element array
        """,
    ],
}


@pytest.mark.parametrize(
    ("grade_id", "code"), [(grade_id, code) for grade_id, codes in VALID_STYLES.items() for code in codes]
)
def test_valid_styles_get_full_marks(grade_id: str, code: str) -> None:
    result = verdict(namespace(**{grade_id: code}), grade_id)
    assert full(result), result.problems


HARD_CODED = {
    "t12_2c_cross_entropy": "def cross_entropy(Y, Y_hat):\n    return 0.6964765384254519",
    "t12_2a_count_parameters": "def count_parameters(layer_sizes):\n    return 9",
    "t12_2d_backward": """
        def backward(X, Y, params, cache):
            return {
                "dW1": np.array([[-0.04632624369975057, 0.0522321782734689],
                                 [-0.05942080503690156, 0.05197972292099036]]),
                "db1": np.array([[-0.04992055708146689, 0.04838540953927403]]),
                "dW2": np.array([[-0.1794426568929805], [-0.18608663242202195]]),
                "db2": np.array([[-0.25]]),
            }
        """,
}


@pytest.mark.parametrize("grade_id", HARD_CODED)
def test_hard_coding_the_sheets_numbers_fails_beyond_the_sheet(grade_id: str) -> None:
    """Already the self-check's second case (the second network, a [3, 4, 2] network) fails it."""
    result = verdict(namespace(**{grade_id: HARD_CODED[grade_id]}), grade_id)
    assert result.points == 0.0 and not result.public_passed
    assert "on the second network" in result.problems[0].message or "([3, 4, 2])" in result.problems[0].message


def test_a_wrong_sigmoid_costs_only_the_sigmoid_cell() -> None:
    ns = namespace(t12_2b_sigmoid="def sigmoid(Z):\n    return np.tanh(Z)")
    assert verdict(ns, "t12_2b_sigmoid").points == 0.0
    for grade_id in ("t12_2b_forward", "t12_2d_backward"):
        assert full(verdict(ns, grade_id)), grade_id
    assert ns["sigmoid"](np.array([0.0]))[0] == 0.0  # the student's own function is back afterwards


def test_statements_earn_a_quarter_each() -> None:
    ns = namespace(t12_1_1_statements="statement_answers = (True, False, False, False)")
    result = verdict(ns, "t12_1_1_statements")
    assert result.points == 2.0
    assert [p.message for p in result.problems] == [
        "2 of the 4 statements are judged correctly; think again about the others."
    ]


GD_STEP_SCALING_GRADS = """
def gd_step(params, grads, lr):
    for name in grads:
        grads[name] *= lr  # the student's own grads, changed in place
    return {name: params[name] - grads["d" + name] for name in params}
"""


def test_a_gd_step_that_changes_its_grads_loses_its_points_in_the_grader_and_the_self_check() -> None:
    """Not only ``params``: a step that scales the gradients it was given in place returns the right
    parameters and still changes its caller's ``grads`` (sheet: "with the inputs left as they were")."""
    ns = namespace(t12_2e_gd_step=GD_STEP_SCALING_GRADS)
    result = verdict(ns, "t12_2e_gd_step")
    assert result.points == 0.0
    assert [problem.mistake for problem in result.problems] == ["mutates_inputs"]
    assert [problem.mistake for problem in selfcheck.gd_step_problems(ns["gd_step"])] == ["mutates_inputs"]


def test_missing_answer_is_reported_by_name() -> None:
    ns = namespace()
    del ns["gd_step"]
    result = verdict(ns, "t12_2e_gd_step")
    assert result.points == 0.0
    assert result.problems[0].message.startswith("gd_step is not defined")


#: The risk after the sheet's step at full precision (no file students get holds it).
SHEET_NEW_RISK = ref.risk_after_step(*selfcheck.sheet_data(), 1.0)
#: The sample transposed_dW1's backward (dW1 in the sheet's Jacobian layout).
TRANSPOSED_BACKWARD = SAMPLES["transposed_dW1"].edits[0].source


def test_new_risk_earns_its_point_only_when_the_students_own_step_gives_it() -> None:
    typed = f"new_risk = {SHEET_NEW_RISK!r}  # typed in"
    copied = verdict(namespace(t12_2d_backward=TRANSPOSED_BACKWARD, t12_2f_new_risk=typed), "t12_2f_new_risk")
    assert copied.points == 0 and [problem.mistake for problem in copied.problems] == ["rounded"]
    assert full(verdict(namespace(t12_2f_new_risk=typed), "t12_2f_new_risk"))  # right, and what the step gives


def test_new_risk_earns_nothing_when_the_students_own_functions_cannot_take_the_step() -> None:
    """Round three, item 6: the exact value typed in while forward is a stub (or raises whenever it
    is called), in the grader and in the notebook's own self-check alike."""
    typed = f"new_risk = {SHEET_NEW_RISK!r}"
    stub = "def forward(X, params):\n    raise NotImplementedError()"
    result = verdict(namespace(t12_2b_forward=stub, t12_2f_new_risk=typed), "t12_2f_new_risk")
    assert result.points == 0 and [problem.mistake for problem in result.problems] == ["rounded"]
    message = result.problems[0].message
    assert "your own functions cannot take the step on the sheet's data yet (forward is not right" in message
    pipeline = dict.fromkeys(selfcheck.PIPELINE, lambda *args: 1 / 0)
    assert [p.mistake for p in selfcheck.new_risk_problems(SHEET_NEW_RISK, pipeline)] == ["rounded"]


def test_a_wrong_step_names_the_first_wrong_function_and_never_the_expected_risk() -> None:
    result = verdict(namespace(t12_2d_backward=TRANSPOSED_BACKWARD), "t12_2f_new_risk")
    messages = " ".join(problem.message for problem in result.problems)
    assert result.points == 0 and "not right yet is backward (see its self-check): it looks like" in messages
    assert f"{SHEET_NEW_RISK:.4f}"[:6] not in messages  # not even 0.5845


def self_check_messages(sample: Sample) -> dict[str, str | None]:
    """Each test cell's self-check as the student's notebook runs it: the failure message, or None."""
    notebook = SHEET12.submission(sample)
    ns = local_run.run_cells(notebook, selfcheck)
    messages: dict[str, str | None] = {}
    with mock.patch.dict(sys.modules, {"selfcheck": selfcheck}), contextlib.redirect_stdout(io.StringIO()):
        for cell in notebook.cells:
            if notebooks.is_test_cell(cell):
                try:
                    exec(cell.source, ns)
                    messages[notebooks.grade_id(cell)] = None
                except Exception as error:
                    messages[notebooks.grade_id(cell)] = str(error)
    return messages


def test_the_complete_notebook_passes_every_self_check() -> None:
    assert set(self_check_messages(SAMPLES["correct"]).values()) == {None}


@pytest.mark.parametrize(
    "sample",
    [s for s in SAMPLES.values() if s.scores and not s.blank and set(s.scores) != {"t12_1_1_statements"}],
    ids=lambda sample: sample.student,
)
def test_a_self_check_fails_wherever_the_grader_takes_points_and_names_the_mistake(sample: Sample) -> None:
    """A passing self-check means the function is right: every cell the grader scores below full
    fails in the notebook already, and the sample's named mistake is named there."""
    messages = self_check_messages(sample)
    # (the statements' self-check checks the format only: which are true is the grader's to say)
    lost = [grade_id for grade_id, score in sample.scores.items() if score < SHEET12.by_grade_id[grade_id].points]
    lost = [grade_id for grade_id in lost if grade_id != "t12_1_1_statements"]
    assert [grade_id for grade_id in lost if messages[grade_id] is None] == []
    if sample.mistake:
        assert any(f"[{sample.mistake}]" in messages[grade_id] for grade_id in lost), messages


def test_every_named_mistake_has_a_sample_that_makes_it() -> None:
    """Each mistake the checks can name is made by one sample of the catalogue, which the grading
    tests grade (exact scores, the mistake named in the feedback and in the notebook's self-check)."""
    assert set(selfcheck.MISTAKES) == {sample.mistake for sample in SAMPLES.values() if sample.mistake}

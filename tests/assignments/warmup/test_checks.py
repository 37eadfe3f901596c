"""The hidden checks on their own, fed plain Python namespaces (no notebook, no nbgrader).

They must give full marks to any reasonable correct style, zero to code that only
reproduces the notebook's examples, name what is wrong, and keep a wrong softmax from
costing predict_proba its point.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from autograder import assignments
from autograder.assignments.warmup import checks
from autograder.assignments.warmup import reference as ref
from autograder.assignments.warmup.public import selfcheck
from autograder.grading.samples import Sample
from autograder.grading.verdict import CellResult
from tests import local_run

WARMUP = assignments.load("warmup")
SAMPLES: dict[str, Sample] = WARMUP.samples()


def run_cells(notebook) -> dict:
    return local_run.run_cells(notebook, selfcheck)


def namespace(**replacements: str) -> dict:
    """The release notebook's namespace with the instructor's answers, some replaced (keys: test cell grade ids)."""
    return local_run.namespace(WARMUP, selfcheck, **replacements)


def verdict(ns: dict, grade_id: str, seed: int = 0) -> CellResult:
    return local_run.verdict(WARMUP, ns, grade_id, seed)


def full(result: CellResult) -> bool:
    return result.points == result.max_points


def mistakes_named(result: CellResult) -> set[str]:
    return {problem.mistake for problem in result.problems if problem.mistake}


@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_instructor_solutions_get_full_marks_everywhere(seed: int) -> None:
    ns = namespace()
    for cell in WARMUP.autograded:
        result = verdict(ns, cell.grade_id, seed)
        assert full(result), (cell.grade_id, result.problems)


def test_the_declaration() -> None:
    assert [part.id for part in WARMUP.parts] == ["w1", "w2", "w3"]
    assert WARMUP.functions == ("center_columns", "sigmoid", "softmax", "predict_proba")
    assert WARMUP.values == ()
    assert dict(WARMUP.dependencies) == {"predict_proba": ("softmax",)}
    assert WARMUP.bundled == ("correct", "blank", "softmax_columns")
    assert set(WARMUP.bundled) <= set(SAMPLES)


def test_warmup_and_sheet12_keep_their_sigmoids_apart() -> None:
    sheet12 = assignments.load("sheet12")
    assert WARMUP.by_grade_id["w2_sigmoid"].check is checks.check_sigmoid
    assert sheet12.by_grade_id["t12_2b_sigmoid"].check is not checks.check_sigmoid
    assert WARMUP.reference is ref and sheet12.reference is not ref
    assert selfcheck.__name__ == "autograder.assignments.warmup._selfcheck"
    assert "rows_not_columns" in selfcheck.MISTAKES
    # Each assignment's sigmoid is checked against its own notebook's example.
    ns = namespace()
    assert full(verdict(ns, "w2_sigmoid"))
    assert full(sheet12.by_grade_id["t12_2b_sigmoid"].run({"sigmoid": ns["sigmoid"]}))


VALID_STYLES = {
    "w1_center_columns": [
        "def center_columns(X):\n    return X - np.mean(X, axis=0, keepdims=True)",
        "def center_columns(X):\n    return X - X.mean(0)[np.newaxis, :]",
        "def center_columns(X):\n    n = len(X)\n    return X - np.ones((n, 1)) @ (X.sum(axis=0, keepdims=True) / n)",
        "def center_columns(X):\n    return (X.T - X.T.mean(axis=1, keepdims=True)).T",
    ],
    "w2_sigmoid": [
        "def sigmoid(Z):\n    return np.exp(-np.logaddexp(0, -Z))",
        "def sigmoid(Z):\n    return 0.5 * (1 + np.tanh(Z / 2))",
    ],
    "w3_softmax": [
        "def softmax(Z):\n    S = Z - Z.max(axis=-1)[:, None]\n    return np.exp(S) / np.exp(S).sum(-1)[:, None]",
        """
        def softmax(Z):
            M = np.max(Z, axis=1, keepdims=True)
            log_sum = M + np.log(np.sum(np.exp(Z - M), axis=1, keepdims=True))
            return np.exp(Z - log_sum)
        """,
        "def softmax(Z):\n    E = np.exp((Z.T - Z.max(axis=1)).T)\n    return (E.T / E.sum(axis=1)).T",
    ],
    "w3_predict_proba": [
        "def predict_proba(X, W, b):\n    return softmax(np.dot(X, W) + b.ravel())",
        "def predict_proba(X, W, b):\n    scores = X @ W\n    scores += b\n    return softmax(scores)",
    ],
}


@pytest.mark.parametrize(
    ("grade_id", "code"), [(grade_id, code) for grade_id, codes in VALID_STYLES.items() for code in codes]
)
def test_valid_styles_get_full_marks(grade_id: str, code: str) -> None:
    result = verdict(namespace(**{grade_id: code}), grade_id)
    assert full(result), result.problems


HARD_CODED = {
    "w1_center_columns": "def center_columns(X):\n    return np.array([[-2.0, -4.0], [0.0, 0.0], [2.0, 4.0]])",
    "w3_softmax": """
        def softmax(Z):
            p = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
            return np.array([p, [1 / 3, 1 / 3, 1 / 3], p])
        """,
    "w3_predict_proba": """
        def predict_proba(X, W, b):
            return softmax(np.array([[1.0, 0, 0], [0, 1, 2], [1, 1, 1]]))
        """,
}


@pytest.mark.parametrize("grade_id", HARD_CODED)
def test_hard_coding_the_examples_fails_the_hidden_cases(grade_id: str) -> None:
    ns = namespace(**{grade_id: HARD_CODED[grade_id]})
    result = verdict(ns, grade_id)
    assert result.points == 0.0 and result.public_passed
    assert "hidden" in result.problems[0].message


@pytest.mark.parametrize("student", [name for name, sample in SAMPLES.items() if sample.mistake])
def test_every_mistake_sample_is_recognised_by_name(student: str) -> None:
    sample = SAMPLES[student]
    ns = run_cells(WARMUP.submission(sample))
    results = {cell.grade_id: verdict(ns, cell.grade_id) for cell in WARMUP.autograded}
    assert {grade_id: result.points for grade_id, result in results.items()} == {
        **{cell.grade_id: cell.points for cell in WARMUP.autograded},
        **sample.scores,
    }
    named = set().union(*(mistakes_named(results[grade_id]) for grade_id in sample.scores))
    assert named == {sample.mistake}
    message = next(p.message for grade_id in sample.scores for p in results[grade_id].problems)
    assert f"[{sample.mistake}]" in message and selfcheck.MISTAKES[sample.mistake] in message


def test_a_wrong_softmax_with_a_correct_predict_proba_keeps_its_point() -> None:
    ns = namespace(w3_softmax="def softmax(Z):\n    return np.exp(Z)")  # not normalised, and unstable
    assert verdict(ns, "w3_softmax").points == 0.0
    assert full(verdict(ns, "w3_predict_proba"))
    assert ns["softmax"](np.array([[0.0]]))[0, 0] == 1.0  # the student's own softmax is back afterwards
    # The notebook's self-check judges predict_proba on its own too: it passes, softmax's fails.
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        selfcheck.check_predict_proba(ns["predict_proba"])
    assert printed.getvalue().startswith("✓ predict_proba")
    with pytest.raises(AssertionError, match="softmax"):
        selfcheck.check_softmax(ns["softmax"])


def test_a_softmax_that_raises_costs_only_its_own_cell() -> None:
    ns = namespace(w3_softmax="def softmax(Z):\n    raise ValueError('oops')")
    result = verdict(ns, "w3_softmax")
    assert result.points == 0.0 and result.problems[0].message == "softmax raised ValueError: oops"
    assert full(verdict(ns, "w3_predict_proba"))


def test_the_public_sigmoid_example_catches_overflow_to_nan() -> None:
    result = verdict(namespace(w2_sigmoid="def sigmoid(Z):\n    return np.exp(Z) / (1 + np.exp(Z))"), "w2_sigmoid")
    assert result.points == 0.0 and not result.public_passed
    assert mistakes_named(result) == {"unstable"}


def test_a_sigmoid_that_warns_fails_its_self_check_and_the_grader_alike() -> None:
    """The text asks for a sigmoid without overflow warnings: right values with a warning fail both."""
    ns = namespace(w2_sigmoid="def sigmoid(Z):\n    return 1 / (1 + np.exp(-Z))")
    with pytest.raises(AssertionError, match=r"it warns \(overflow\s+encountered in exp\)"):
        selfcheck.check_sigmoid(ns["sigmoid"])
    result = verdict(ns, "w2_sigmoid")
    assert result.points == 0.0 and mistakes_named(result) == {"unstable"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        selfcheck.check_sigmoid(namespace()["sigmoid"])
    assert printed.getvalue() == "✓ sigmoid: correct on the notebook's examples, without a warning.\n"


def test_hidden_cases_withhold_the_expected_values() -> None:
    hard_coded = (  # right on the notebook's three points only: it passes in public, fails hidden
        "def predict_proba(X, W, b):\n    P = softmax(X @ W + b)\n    return P if len(X) == 3 else P[:, ::-1]"
    )
    result = verdict(namespace(w3_predict_proba=hard_coded), "w3_predict_proba")
    assert result.points == 0.0 and result.public_passed
    message = result.problems[0].message
    assert message.startswith("predict_proba(X, W, b) on a hidden case (n=5, d=3, k=4): got ")
    assert "which is not the expected value" in message and "expected [" not in message


def test_public_problems_show_the_expected_values() -> None:
    result = verdict(namespace(w1_center_columns=SAMPLES["center_rows"].edits[0].source), "w1_center_columns")
    assert not result.public_passed
    first_lines = result.problems[0].message.split("\n")[:2]
    assert first_lines == ["center_columns(X) on the notebook's example:", "    expected [[-2., -4.],"]


def test_wrong_types_and_shapes_are_reported() -> None:
    ns = namespace(w1_center_columns="def center_columns(X):\n    return (X - X.mean(axis=0)).tolist()")
    assert verdict(ns, "w1_center_columns").problems[0].message.endswith("expected a numeric NumPy array, got list.")
    ns = namespace(w3_softmax="def softmax(Z):\n    return np.ones(Z.shape[0])")
    assert "has the wrong shape: expected (3, 3), got (3,)" in verdict(ns, "w3_softmax").problems[0].message


def test_missing_and_unimplemented_functions_are_reported_by_name() -> None:
    ns = namespace()
    del ns["softmax"]
    result = verdict(ns, "w3_softmax")
    assert result.points == 0.0 and result.problems[0].message.startswith("softmax is not defined")
    blank = run_cells(WARMUP.submission(SAMPLES["blank"]))
    for cell in WARMUP.autograded:
        result = verdict(blank, cell.grade_id)
        assert result.points == 0.0
        assert result.problems[0].message == f"{cell.target} is not implemented yet (it raises NotImplementedError)."


@pytest.mark.parametrize("seed", range(20))
def test_hidden_inputs_expose_the_mistakes_whatever_the_seed(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for X in checks.center_columns_inputs(rng):
        assert np.all(np.abs(X.mean(axis=0)) > 1.9)  # centering changes every column
    with np.errstate(all="ignore"):
        big = [Z for Z in checks.softmax_inputs(rng) if not np.all(np.isfinite(np.exp(Z) / np.exp(Z).sum(1)[:, None]))]
        assert len(big) == 1
        scores = [X @ W + b for X, W, b in checks.classifier_inputs(rng)]
        assert not np.all(np.isfinite(np.exp(scores[-1]) / np.exp(scores[-1]).sum(1)[:, None]))
    assert any(Z.ndim == 1 for Z in checks.sigmoid_inputs(rng)) and any(Z.ndim == 3 for Z in checks.sigmoid_inputs(rng))


def test_grading_repeats_with_the_seed_and_varies_between_seeds() -> None:
    wrong = namespace(
        w3_softmax="""
        def softmax(Z):
            E = np.exp(Z - Z.max())  # the maximum of all rows
            return E / E.sum(axis=1, keepdims=True)
        """
    )
    first, again = verdict(wrong, "w3_softmax", 7), verdict(wrong, "w3_softmax", 7)
    assert first == again and first.points == 0.0
    first_inputs = checks.softmax_inputs(np.random.default_rng([1, 2]))
    other_inputs = checks.softmax_inputs(np.random.default_rng([3, 4]))
    assert not np.allclose(first_inputs[0], other_inputs[0])

"""The warm-up's notebooks: nbgrader metadata in line with the declaration, release/ and solutions/
free of what students must not see."""

from __future__ import annotations

import re

import nbformat

from autograder import assignments
from autograder.grading import notebooks
from autograder.grading.notebooks import COURSE_ROOT

WARMUP = assignments.load("warmup")
RELEASE = COURSE_ROOT / "release" / "warmup"
SOLUTIONS = COURSE_ROOT / "solutions" / "warmup"


def cells(path) -> dict[str, nbformat.NotebookNode]:
    return {cell.id: cell for cell in notebooks.read(path).cells}


def test_every_cell_is_an_nbgrader_cell_with_an_id() -> None:
    source = notebooks.read(WARMUP.source_notebook)
    assert (source.nbformat, source.nbformat_minor) == (4, 5)
    assert source.metadata == notebooks.read(COURSE_ROOT / "source" / "sheet12" / "sheet12.ipynb").metadata
    for cell in source.cells:
        meta = cell.metadata.nbgrader
        assert cell.id == meta["grade_id"] and meta["schema_version"] == 3
        assert meta["locked"] != meta["solution"], cell.id  # students write in exactly the solution cells


def test_the_graded_cells() -> None:
    graded = {
        cell.id: (cell.cell_type, cell.metadata.nbgrader["points"])
        for cell in notebooks.read(WARMUP.source_notebook).cells
        if cell.metadata.nbgrader["grade"]
    }
    assert graded == {
        "w1_center_columns": ("code", 1),
        "w2_sigmoid": ("code", 1),
        "w3_softmax": ("code", 2),
        "w3_predict_proba": ("code", 1),
        "w3_stability": ("markdown", 1),
    }


def test_each_test_cell_runs_its_self_check_and_names_its_own_hidden_check() -> None:
    for grade_id, cell in cells(WARMUP.source_notebook).items():
        if notebooks.is_test_cell(cell):
            visible, hidden = cell.source.split("### BEGIN HIDDEN TESTS\n")
            target = WARMUP.by_grade_id[grade_id].target
            assert visible.rstrip().endswith(f"check_{target}({target})")
            assert re.findall(r'grade\("([^"]+)"\)', hidden) == [grade_id]
            assert cells(WARMUP.source_notebook)[f"{grade_id}_solution"].source.startswith(f"def {target}(")


def test_the_written_answer_is_a_solution_region() -> None:
    answer = cells(WARMUP.source_notebook)["w3_stability"].source
    assert answer.startswith("### BEGIN SOLUTION\n") and answer.endswith("\n### END SOLUTION")
    assert cells(RELEASE / "warmup.ipynb")["w3_stability"].source == "YOUR ANSWER HERE"


def test_release_holds_no_solution_no_hidden_test_and_no_autograder() -> None:
    text = (RELEASE / "warmup.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "grade(", "autograder"):
        assert marker not in text, marker
    released = cells(RELEASE / "warmup.ipynb")
    for grade_id, answer in notebooks.source_answers(WARMUP.source_notebook).items():
        for line in answer.splitlines():
            if line.strip() and not line.strip().startswith(("def ", '"""')):
                assert line.strip() not in released[grade_id].source, (grade_id, line)
    assert sorted(path.name for path in RELEASE.iterdir()) == [
        "requirements.txt",
        "selfcheck.py",
        "selfcheck_kit.py",
        "selfcheck_values.py",
        "warmup.ipynb",
    ]
    assert "HIDDEN TESTS" not in (SOLUTIONS / "warmup.ipynb").read_text()


def test_the_text_states_each_contract_next_to_its_function() -> None:
    text = cells(WARMUP.source_notebook)
    assert "`center_columns(X)`" in text["w1_text"].source and "`(n, d)`" in text["w1_text"].source
    assert "`sigmoid(Z)`" in text["w2_text"].source and "without overflow warnings" in text["w2_text"].source
    assert "[-1000, -1, 0], [1, 2, 1000]" in text["w2_text"].source
    assert "`softmax(Z)`" in text["w3_text"].source and "keepdims=True" in text["w3_text"].source
    assert "`predict_proba(X, W, b)`" in text["w3_predict_proba_text"].source

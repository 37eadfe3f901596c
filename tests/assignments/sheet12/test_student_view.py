"""What a student sees when running the release notebook in a real kernel (no grading)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from nbclient import NotebookClient

from autograder.grading import notebooks
from autograder.grading.notebooks import COURSE_ROOT
from tests.conftest import SAMPLES, SHEET12

EXPLORATIONS = ("exploration_learning_rates", "exploration_sgd")


def run(notebook, folder: Path):
    """Run the notebook as a student does: in a plain kernel, not under nbgrader (whose
    NBGRADER_EXECUTION a failed in-process autograde may have left in this process)."""
    for path in (COURSE_ROOT / "release" / "sheet12").iterdir():
        shutil.copy(path, folder / path.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NBGRADER_EXECUTION", raising=False)
        NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute()  # fmt: skip
    return {cell.id: cell for cell in notebook.cells}


def text(cell) -> str:
    return "".join(output.get("text", "") + output.get("evalue", "") for output in cell.outputs)


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    return run(SHEET12.submission(SAMPLES["blank"]), tmp_path_factory.mktemp("blank"))


@pytest.fixture(scope="module")
def completed(tmp_path_factory):
    return run(SHEET12.submission(SAMPLES["correct"]), tmp_path_factory.mktemp("completed"))


@pytest.fixture(scope="module")
def mistaken(tmp_path_factory):
    return run(SHEET12.submission(SAMPLES["transposed_dW1"]), tmp_path_factory.mktemp("mistaken"))


def test_a_failing_self_check_shows_its_message_without_the_checks_code(mistaken) -> None:
    (error,) = [output for output in mistaken["t12_2d_backward"].outputs if output.output_type == "error"]
    assert error.traceback[0] == "backward:"
    assert error.traceback[1] == "✗ grads['dW1'] on the sheet's data:" and "[transposed]" in error.traceback[-1]
    expected, got = (next(line for line in error.traceback if line.split()[0] == word) for word in ("expected", "got"))
    assert expected.index("[[") == got.index("[[")  # one above the other
    assert not [line for line in error.traceback if "selfcheck" in line or "File " in line]


def test_blank_explorations_say_what_to_finish_first(blank) -> None:
    assert text(blank["exploration_learning_rates"]).startswith(
        "Finish forward, cross_entropy, backward, gd_step first"
    )
    assert text(blank["exploration_sgd"]).startswith("Finish deep_linear_forward, grad_W3 first")
    for cell_id in EXPLORATIONS:
        assert not [output for output in blank[cell_id].outputs if output.output_type == "error"]


def test_blank_self_checks_say_what_is_missing(blank) -> None:
    for cell_id, cell in blank.items():
        if notebooks.is_test_cell(cell):
            message = text(cell)
            assert "is not implemented yet" in message or "is not set yet" in message, (cell_id, message)
    errors = [output.get("ename", "") for cell in blank.values() for output in cell.get("outputs", [])]
    assert "NameError" not in errors


def test_completed_notebook_passes_every_self_check_and_plots(completed) -> None:
    for cell_id, cell in completed.items():
        assert not [output for output in cell.get("outputs", []) if output.output_type == "error"], cell_id
        if notebooks.is_test_cell(cell):
            assert text(cell).startswith("✓"), cell_id
    for cell_id in EXPLORATIONS:
        assert any("image/png" in output.get("data", {}) for output in completed[cell_id].outputs)


def test_check_all_lists_every_self_check_with_its_points(blank, mistaken, completed) -> None:
    done = text(completed["check_all"]).splitlines()
    tests = [cell for cell in completed.values() if notebooks.is_test_cell(cell)]
    rows = done[: len(tests)]
    assert [line.split()[1] for line in rows] == [cell.metadata["nbgrader"]["grade_id"] for cell in tests]
    assert all(line.startswith("✓") for line in rows)
    assert done[len(tests)].startswith(f"Self-checks passing: {len(tests)} of {len(tests)}, worth 20 of 20 points")
    lines = text(mistaken["check_all"]).splitlines()
    marked_down = [index for index, line in enumerate(lines) if line.startswith("✗")]
    assert [lines[index].split()[1] for index in marked_down] == ["t12_2d_backward", "t12_2f_new_risk"]
    # Each row stays one line; its complaint follows, indented and wrapped to the kit's width.
    complaint = []
    for line in lines[marked_down[0] + 1 :]:
        if not line.startswith("    "):
            break
        complaint.append(line.strip())
    assert "[transposed]" in " ".join(complaint)
    assert all(len(line) <= 4 + 82 for line in lines)
    assert "Self-checks passing: 0 of 10, worth 0 of 20 points" in text(blank["check_all"])

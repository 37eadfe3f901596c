"""CheckCellMetadataOnce gives nbgrader's verdict on every notebook: the same notebooks pass, the
same fail, with the schema compiled once."""

from __future__ import annotations

import copy

import pytest
from jsonschema import ValidationError
from nbgrader.preprocessors import CheckCellMetadata

from autograder.grading.notebooks import read
from autograder.patches.metadata_check import CheckCellMetadataOnce
from tests.conftest import SHEET12


def broken(change: str) -> object:
    """The sheet's release notebook with one cell's nbgrader metadata broken."""
    notebook = read(SHEET12.release_notebook)
    meta = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")).metadata.nbgrader
    if change == "points as text":
        meta["points"] = "two"
    elif change == "unknown cell type":
        meta["cell_type"] = 3
    elif change == "no grade id":
        del meta["grade_id"]
    return notebook


def verdict(step: type, notebook: object) -> str:
    try:
        step().preprocess(copy.deepcopy(notebook), {})
    except ValidationError as error:
        return f"fails: {error.message}"
    return "passes"


@pytest.mark.parametrize("change", ["none", "points as text", "unknown cell type", "no grade id"])
def test_the_same_verdict_as_nbgraders_check(change: str) -> None:
    notebook = broken(change)
    ours = verdict(CheckCellMetadataOnce, notebook)
    assert ours == verdict(CheckCellMetadata, notebook)
    assert (ours == "passes") == (change == "none")
    assert verdict(CheckCellMetadataOnce, notebook) == ours  # the compiled schema, second time round

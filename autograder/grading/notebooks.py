"""Reading notebooks and their nbgrader cells, and filling a release notebook with answers.

A submission is the release notebook with code put into its solution cells, the
way a student fills it in JupyterLab.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbformat import NotebookNode

#: The course repository (the nbgrader course root): the folder above this package.
COURSE_ROOT = Path(__file__).resolve().parents[2]
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def read(path: Path) -> NotebookNode:
    """A notebook in nbformat 4."""
    return nbformat.read(path, as_version=4)


def grade_id(cell: NotebookNode) -> str | None:
    """The nbgrader grade id of a cell, if it has one."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_solution_cell(cell: NotebookNode) -> bool:
    """Whether students write in this cell."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def is_test_cell(cell: NotebookNode) -> bool:
    """Whether this is an autograded test cell (graded code, not a solution)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def source_answers(source: Path) -> dict[str, str]:
    """The instructor's answer in every solution cell (code and written) of the notebook at
    ``source``, without solution markers."""
    return {
        grade_id(cell): "\n".join(line for line in cell.source.splitlines() if line.strip() not in SOLUTION_MARKERS)
        for cell in read(source).cells
        if is_solution_cell(cell)
    }


def fill(answers: Mapping[str, str], release: NotebookNode) -> NotebookNode:
    """A copy of the release notebook with ``answers`` (solution cell grade id to its new source) filled in."""
    notebook = copy.deepcopy(release)
    unknown = set(answers) - {grade_id(cell) for cell in notebook.cells if is_solution_cell(cell)}
    if unknown:
        raise KeyError(f"no solution cells with grade ids {sorted(unknown)}")
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


def answers_in(notebook: NotebookNode) -> dict[str, str]:
    """What a notebook holds in each solution cell: grade id to source."""
    return {grade_id(cell): cell.source for cell in notebook.cells if is_solution_cell(cell)}


def left_as_released(notebook: NotebookNode, release: NotebookNode) -> bool:
    """Whether no solution cell of a submission differs from the release notebook's (a cell the
    student deleted counts as unchanged)."""
    released = answers_in(release)
    return all(released.get(cell_id) == source for cell_id, source in answers_in(notebook).items())

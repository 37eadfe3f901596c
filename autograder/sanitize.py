"""An nbgrader sanitizing step: graded cells that the instructor never wrote lose their grading.

A submission may add a cell with nbgrader metadata of its own (a made-up grade id with
points). nbgrader would fail on it and leave the student ungraded; this step turns such a
cell back into an ordinary cell, so the rest of the notebook is graded as usual.
"""

from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor


class ForgetUnknownCells(NbGraderPreprocessor):
    """Drop nbgrader metadata from cells whose grade id is not in the gradebook."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            known = {cell.name for cell in gradebook.find_notebook(info["notebook"], info["assignment"]).source_cells}
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if "nbgrader" in cell.metadata and grade_id not in known:
                self.log.warning("Cell %r is not part of the assignment; it is kept but not graded", grade_id)
                del cell.metadata["nbgrader"]
        return nb, resources

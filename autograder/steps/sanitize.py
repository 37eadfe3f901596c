"""nbgrader steps that make a submission safe to grade and to show.

* ``ForgetUnknownCells`` (a sanitizing step): a submission may add a cell with nbgrader
  metadata of its own (a made-up grade id with points). nbgrader would fail on it and leave
  the student ungraded; this step turns such a cell back into an ordinary cell, so the rest
  of the notebook is graded as usual.
* ``SanitizeSubmission`` (an autograding step, right after execution): what autograding stores
  is what the formgrader, the feedback HTML and JupyterLab later show, so every markdown cell
  the instructor did not write (with its attachments), every output and every raw cell is made
  inert as the pages render it (:mod:`autograder.steps.safe_html`), and notebook metadata the
  renderers read (title, widget state) is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

from nbformat import NotebookNode, from_dict
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.steps import safe_html

#: Notebook metadata that survives autograding (the rest, e.g. ``title`` or ``widgets``, is read
#: by nbconvert's templates and could carry a student's HTML or scripts).
KEPT_NOTEBOOK_METADATA = ("kernelspec", "language_info", "nbgrader")


def instructor_cells(resources: dict) -> dict[str, tuple[bool, str]]:
    """The assignment's cells in the gradebook: grade id to (locked, the instructor's source)."""
    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gradebook:
        notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
        return {cell.name: (bool(cell.locked), cell.source or "") for cell in notebook.source_cells}


class ForgetUnknownCells(NbGraderPreprocessor):
    """Drop nbgrader metadata from cells whose grade id is not in the gradebook."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        known = instructor_cells(resources)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if "nbgrader" in cell.metadata and grade_id not in known:
                self.log.warning("Cell %r is not part of the assignment; it is kept but not graded", grade_id)
                del cell.metadata["nbgrader"]
        return nb, resources


def make_inert(nb: NotebookNode, locked: Mapping[str, str]) -> None:
    """Make everything of ``nb`` a student could have written or printed inert for a browser, in
    place; ``locked`` maps the grade ids of the instructor's locked cells to their text."""
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "markdown":
            # The attachments are the student's even in an instructor's cell (nbgrader restores
            # only its text); such a cell is judged again when it shows one.
            attachments = safe_html.safe_attachments(cell.pop("attachments", None) or {})
            if locked.get(grade_id) != cell.source or "attachment:" in cell.source:
                safe = safe_html.safe_markdown(cell.source, attachments)
            else:
                safe = cell.source
            if attachments and safe == cell.source:  # shown as written: its images with it
                cell.attachments = from_dict(attachments)
            cell.source = safe
        elif cell.cell_type == "raw":
            for key in ("raw_mimetype", "format"):
                cell.metadata.pop(key, None)
            cell.pop("attachments", None)
            cell.source = safe_html.safe_raw(cell.source)
        elif cell.cell_type == "code":
            cell.outputs = [from_dict(safe_html.safe_output(output)) for output in cell.get("outputs", [])]
    for key in [key for key in nb.metadata if key not in KEPT_NOTEBOOK_METADATA]:
        del nb.metadata[key]


class SanitizeSubmission(NbGraderPreprocessor):
    """Make everything a student could have written or printed inert for a browser."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        cells = instructor_cells(resources)
        make_inert(nb, {grade_id: source for grade_id, (is_locked, source) in cells.items() if is_locked})
        return nb, resources

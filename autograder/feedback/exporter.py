"""The feedback page: nbgrader's ``generate_feedback`` with this course's exporter and template.

``nbgrader_config.py`` sets ``GenerateFeedback.exporter_class`` to :class:`FeedbackExporter` and
adds :class:`SummarizeFeedback` to ``GenerateFeedback.preprocessors``, so ``python -m autograder
grade`` and a plain ``nbgrader generate_feedback`` write the same page:

* the summary by part at the top (:mod:`autograder.feedback.summary`), from the gradebook and
  the grading record;
* under each autograded test cell its verdict as wrapped prose, in place of the cell's stored
  outputs (the points value that nbgrader reads stays in the autograded notebook only);
* the mathematics as MathML (:mod:`autograder.feedback.mathml`) and no MathJax, so the page is
  self-contained and needs no network.

The template (``templates/student_feedback``) extends nbgrader's own feedback template and
escapes everything it writes from a submission.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import default

from autograder import assignments
from autograder.feedback.mathml import MathMLRenderer, markdown_to_html
from autograder.feedback.summary import Summary, for_student

#: This course's nbconvert templates (``student_feedback`` among them).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: nbgrader's templates, which ``student_feedback`` extends.
NBGRADER_TEMPLATES = Path(__import__("nbgrader").__file__).parent / "server_extensions" / "formgrader" / "templates"
TEMPLATE_NAME = "student_feedback"


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter with the mathematics of markdown cells written as MathML."""

    @default("template_paths")
    def _template_paths(self, prune: bool = True, root_dirs: Any = None) -> list[str]:
        # nbconvert searches template folders, not the folders that hold them; the course's
        # template extends nbgrader's by its path there ('feedback/index.html.j2').
        return [*super()._template_paths(prune, root_dirs), str(NBGRADER_TEMPLATES)]

    @pass_context
    def markdown2html(self, context: Any, source: str) -> str:
        """Markdown to HTML as nbconvert does it (attachments, anchors), formulas as MathML."""
        cell = context.get("cell", {})
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return markdown_to_html(source, renderer)


class SummarizeFeedback(NbGraderPreprocessor):
    """Put the submission's summary by part into the resources, for the feedback template."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """``resources["summary"]``: the :class:`~autograder.feedback.summary.Summary` of this submission."""
        info = resources["nbgrader"]
        assignment = assignments.load(info["assignment"])
        db_path = Path(info["db_url"].removeprefix("sqlite:///"))
        summary: Summary = for_student(db_path, assignment, info["student"], nb, info.get("late_penalty") or 0.0)
        resources["summary"] = summary
        return nb, resources

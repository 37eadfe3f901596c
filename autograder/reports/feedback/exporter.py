"""The feedback page: nbgrader's ``generate_feedback`` with this course's exporter and template.

``nbgrader_config.py`` sets ``GenerateFeedback.exporter_class`` to :class:`FeedbackExporter` and
adds :class:`SummarizeFeedback` to ``GenerateFeedback.preprocessors``, so ``python -m autograder
grade`` and a plain ``nbgrader generate_feedback`` write the same page:

* the summary by part at the top (:mod:`autograder.reports.feedback.summary`), from the gradebook and
  the grading record;
* under each autograded test cell its verdict as wrapped prose, in place of the cell's stored
  outputs (the points value that nbgrader reads stays in the autograded notebook only);
* the mathematics as MathML (:mod:`autograder.steps.mathml`) and no MathJax, so the page is
  self-contained and needs no network.

Writing a page costs what its own content costs: the markdown of short cells without attachments
and the highlighted code of short code cells are rendered once per process (the sheet's text and
its locked cells are on every student's page; highlighting code was most of a page's CPU time),
and nbconvert's accessibility pass, a BeautifulSoup parse and re-serialisation of the whole page
that was more than half of its CPU time, runs only on a page with an image, the one element of
this template that the pass changes (it gives images without alt text one). Without an image the
page is the template's output as it stands; that pass only re-serialised it.

The template (``templates/student_feedback``) extends nbgrader's own feedback template and
escapes everything it writes from a submission.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import default

from autograder import assignments
from autograder.reports.feedback.summary import Summary, for_student
from autograder.steps.mathml import MathMLRenderer, markdown_to_html

#: This course's nbconvert templates (``student_feedback`` among them).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: nbgrader's templates, which ``student_feedback`` extends.
NBGRADER_TEMPLATES = Path(__import__("nbgrader").__file__).parent / "server_extensions" / "formgrader" / "templates"
TEMPLATE_NAME = "student_feedback"
#: Markdown cells up to this length are rendered once per process (see :meth:`FeedbackExporter.markdown2html`).
CACHED_MARKDOWN_CHARS = 20_000
#: Code cells up to this length are highlighted once per process (see :class:`CachedHighlight`).
CACHED_CODE_CHARS = 4_000


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
        attachments = context.get("cell", {}).get("attachments", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        anchors = {"anchor_link_text": self.anchor_link_text, "exclude_anchor_links": self.exclude_anchor_links}
        # Cached when it depends on its text only, and the text is short (a submission's long cell
        # is rendered each time and not kept: a batch's worker would keep it for every student after).
        if attachments or self.embed_images or self.lexer_options or len(source) > CACHED_MARKDOWN_CHARS:
            renderer = MathMLRenderer(
                escape=False, attachments=attachments, embed_images=self.embed_images, path=path, **anchors,
                **self.lexer_options,
            )  # fmt: skip
            return markdown_to_html(source, renderer)
        return _plain_markdown_to_html(source, **anchors)

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
        """nbconvert's HTML export (the filters it registers, the template), with its accessibility
        pass only where it changes something: a page with an image (see the module's docstring)."""
        info = nb.metadata.get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name", None))
        highlight_code = self.filters.get("highlight_code", CachedHighlight(pygments_lexer=lexer, parent=self))
        initialized = self._init_resources(resources)
        data_types = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=initialized)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", data_types)
        page, initialized = TemplateExporter.from_notebook_node(self, nb, initialized, **kw)
        if "<img" in page.lower():
            return super().from_notebook_node(nb, resources, **kw)
        return page, initialized


class CachedHighlight(Highlight2HTML):
    """nbconvert's highlighting of a code cell, kept per process for a short cell: the HTML depends
    only on the cell's text, its language, its metadata's ``magics_language`` and the options."""

    def __call__(self, source: str, language: str | None = None, metadata: Any = None) -> str:
        try:
            options = json.dumps(self.extra_formatter_options, sort_keys=True)
        except TypeError:  # options that are not plain data: not a key
            options = None
        if len(source) > CACHED_CODE_CHARS or options is None:
            return super().__call__(source, language, metadata)
        magics = metadata.get("magics_language") if metadata else None
        return _highlighted(source, language or self.pygments_lexer, magics, options)


@lru_cache(maxsize=256)
def _highlighted(source: str, language: str, magics: str | None, options: str) -> str:
    """A short code cell's highlighted HTML (as :class:`CachedHighlight` keys it)."""
    highlight = Highlight2HTML(pygments_lexer=language, extra_formatter_options=json.loads(options))
    return Highlight2HTML.__call__(highlight, source, language, {"magics_language": magics} if magics else None)


@lru_cache(maxsize=256)
def _plain_markdown_to_html(source: str, **anchors: Any) -> str:
    """A cell without attachments, whose HTML depends on its text only."""
    renderer = MathMLRenderer(escape=False, attachments={}, embed_images=False, path="", **anchors)
    return markdown_to_html(source, renderer)


class SummarizeFeedback(NbGraderPreprocessor):
    """Put the submission's summary by part into the resources, for the feedback template."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """``resources["summary"]``: the :class:`~autograder.reports.feedback.summary.Summary` of this submission."""
        info = resources["nbgrader"]
        assignment = assignments.load(info["assignment"])
        db_path = Path(info["db_url"].removeprefix("sqlite:///"))
        summary: Summary = for_student(db_path, assignment, info["student"], nb)
        resources["summary"] = summary
        return nb, resources

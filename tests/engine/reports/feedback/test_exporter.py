"""The feedback exporter writes what nbconvert's HTML exporter writes, at the cost of the page's
own content: nbconvert's accessibility pass only where it changes something (an image), short
markdown and code cells rendered once per process."""

from __future__ import annotations

import base64
from typing import Any

from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.grading.notebooks import read
from autograder.reports.feedback.exporter import FeedbackExporter
from tests import page_check
from tests.conftest import SHEET12

PIXEL = base64.b64encode(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")).decode()


class WithNbconvertsPass(FeedbackExporter):
    """The same exporter with nbconvert's own ``from_notebook_node`` (its pass over every page)."""

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
        return HTMLExporter.from_notebook_node(self, nb, resources, **kw)


def test_a_page_without_images_is_the_page_nbconverts_pass_would_only_re_serialise() -> None:
    sheet = read(SHEET12.release_notebook)
    page, _ = FeedbackExporter(template_name="classic").from_notebook_node(sheet)
    with_pass, _ = WithNbconvertsPass(template_name="classic").from_notebook_node(sheet)
    assert "<img" not in page.lower() and "<math" in page
    assert str(BeautifulSoup(page, features="html.parser")) == with_pass


def test_a_page_with_an_image_gets_nbconverts_alt_text() -> None:
    image = new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"})
    notebook = new_notebook(cells=[new_code_cell("plot()", outputs=[image])])
    page, _ = FeedbackExporter(template_name="classic").from_notebook_node(notebook)
    with_pass, _ = WithNbconvertsPass(template_name="classic").from_notebook_node(notebook)
    assert page == with_pass
    assert 'alt="No description has been provided for this image"' in page


def test_only_short_markdown_and_formulas_are_kept_between_pages() -> None:
    """A submission's long cell or formula is rendered as any other but not kept in the process."""
    from autograder.reports.feedback import exporter
    from autograder.steps import mathml

    long_cell = "word " * 5_000 + "$" + "x + " * 600 + "y$"
    notebook = new_notebook(cells=[new_markdown_cell(long_cell), new_markdown_cell("Short, with $q_{17}^2$.")])
    pages, tex_cache, markdown_cache = [], mathml._cached_mathml.cache_info, exporter._plain_markdown_to_html.cache_info
    before = (tex_cache().currsize, markdown_cache().currsize)
    for _ in range(2):
        pages.append(FeedbackExporter(template_name="classic").from_notebook_node(notebook)[0])
    assert pages[0] == pages[1] and "<math" in pages[0] and pages[0].count("word") >= 5_000
    assert tex_cache().currsize <= before[0] + 1 and markdown_cache().currsize <= before[1] + 1


def test_short_code_cells_are_highlighted_once_per_process_as_nbconvert_highlights_them() -> None:
    """The page is the one nbconvert's own highlighting writes; a long cell is not kept."""
    from autograder.reports.feedback import exporter

    cells = [
        new_code_cell("def square(x):\n    return x ** 2  # highlighted once"),
        new_code_cell("%%bash\necho 'highlighted once'", metadata={"magics_language": "bash"}),
        new_code_cell("x = 1  # long\n" * 400),
    ]
    notebook = new_notebook(cells=cells, metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    nbconverts = {"highlight_code": Highlight2HTML(pygments_lexer="ipython3")}
    plain, _ = FeedbackExporter(template_name="classic", filters=nbconverts).from_notebook_node(notebook)
    before = exporter._highlighted.cache_info()
    pages = [FeedbackExporter(template_name="classic").from_notebook_node(notebook)[0] for _ in range(2)]
    after = exporter._highlighted.cache_info()
    assert pages == [plain, plain] and '<span class="k">def</span>' in plain and '<span class="nb">echo</span>' in plain
    assert (after.currsize - before.currsize, after.hits - before.hits) == (2, 2)


def test_the_feedback_page_forbids_every_script_with_a_content_security_policy_in_its_head() -> None:
    page = page_check.render(new_notebook())["feedback"]
    head = BeautifulSoup(page, "html.parser").head
    policy = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert policy is not None and head.find("script") is None
    directives = dict(part.strip().split(" ", 1) for part in policy["content"].split(";"))
    assert directives["default-src"] == "'none'" and "script-src" not in directives  # scripts: default-src
    assert directives["img-src"] == "data:" and directives["form-action"] == "'none'"
    assert head.find_all(["meta", "title"])[1] is policy  # before anything the page loads

"""The feedback exporter writes what nbconvert's HTML exporter writes, at the cost of the page's
own content: nbconvert's accessibility pass only where it changes something (an image)."""

from __future__ import annotations

import base64
from typing import Any

from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.feedback.exporter import FeedbackExporter
from autograder.notebooks import read
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

"""Unit tests of the feedback page's mathematics (:mod:`autograder.steps.mathml`): every
formula of every assignment becomes MathML, and TeX that smuggles markup comes out inert."""

from __future__ import annotations

import re

import pytest

from autograder import assignments
from autograder.grading.notebooks import read
from autograder.steps.mathml import MathMLRenderer, markdown_to_html, to_mathml


def render(source: str) -> str:
    return markdown_to_html(source, MathMLRenderer(escape=False))


def outside_code(page: str) -> str:
    return re.sub(r"<code[^>]*>.*?</code>|<pre[^>]*>.*?</pre>", "", page, flags=re.S)


@pytest.mark.parametrize("assignment_id", assignments.available())
def test_every_formula_of_every_assignment_is_mathml(assignment_id: str) -> None:
    notebook = read(assignments.load(assignment_id).source_notebook)
    pages = [render(cell.source) for cell in notebook.cells if cell.cell_type == "markdown"]
    assert sum(page.count("<math") for page in pages) > 0
    assert not [page for page in pages if 'class="tex"' in page or "$" in outside_code(page)]


def test_inline_and_display_math() -> None:
    page = render(r"For $x \in \mathbb{R}^{d}$:" + "\n\n" + r"$$\frac{1}{n} \sum_i \ell_i$$")
    assert page.count('display="inline"') == 1 and page.count('display="block"') == 1
    assert "<mfrac>" in page and "$" not in page


def test_dollars_in_code_stay_code() -> None:
    assert render("`cost = $5`") == "<p><code>cost = $5</code></p>\n"


@pytest.mark.parametrize(
    "tex",
    [
        r"\text{<script>alert(1)</script>}",
        r"\text{<img src=x onerror=alert(1)>}",
        r"\href{javascript:alert(1)}{x}",
        r"\style{background:url(https://example.org/x)}{x}",
        r"\class{x}{y}",
        r"\color{red" " onmouseover=" "alert(1)}{x}",
    ],
)
def test_markup_in_tex_is_removed(tex: str) -> None:
    mathml = to_mathml(tex)
    assert mathml.startswith("<math") and mathml.endswith("</math>")
    for dangerous in ("<script", "<img", "javascript:", "style=", "class=", "onerror", "onmouseover", "href"):
        assert dangerous not in mathml


def test_tex_that_cannot_be_converted_is_shown_as_its_source() -> None:
    assert to_mathml(r"<b>\frac{1}{") == '<code class="tex">&lt;b&gt;\\frac{1}{</code>'

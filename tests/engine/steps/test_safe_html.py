"""Unit tests of what may reach a browser from a submission (:mod:`autograder.steps.safe_html`)."""

from __future__ import annotations

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder.steps import safe_html

ORDINARY = [
    "All four are **true**: with $K = 1$ we get $F(x) = W_1 x$, and $a < b$ since `x<y`.",
    "# Heading\n\n- a list with [a link](https://example.org) and ![a plot](plot.png)\n\n> quoted",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('<b>')\n```\n\n$$\\frac{1}{n}\\sum_i \\ell_i$$",
    "Mail [me](mailto:ta@example.org) or see [below](#part-f); ![x](attachment:plot.png)",
    "- [x] done\n- [ ] not yet\n\nterm\n: its definition\n\n~~struck~~ and <https://example.org>",
    '[a titled link](https://example.org "the title") and H<sub>2</sub>O, <b>bold</b>',
]
#: The cell attachments of the ordinary cells (a pasted PNG).
ATTACHMENTS = {"plot.png": {"image/png": "iVBORw0KGgo="}}
HOSTILE = [
    "<img src=x onerror=\"fetch('/api/contents/PWNED.txt', {method: 'PUT'})\">",
    "text <script>alert(1)</script> more",
    "<div onmouseover=alert(1)>hover</div>",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[click me](&#106;avascript:alert(1))",
    "![img](javascript:alert(1))",
    "```mermaid\n</pre><img src=x onerror=alert(1)>\n```",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<!-- comment --><iframe src=//evil></iframe>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    # nbconvert's renderer decodes entities a second time (round three, item 1)
    "[my derivation](<javascript&amp;#58;alert(1)>)",
    "[my derivation](javascript&amp;#58;alert(1))",
    "[my derivation](javascript&amp;colon;alert(1))",
    "[ref][r]\n\n[r]: javascript&amp;#x3A;alert(1)",
    "[pct](javascript%3Aalert(1))",
    "[pct entity](javascript&amp;#37;3Aalert(1))",
    '[titled](<javascript&amp;#58;alert(1)> "a title")',
    # MathJax (in the formgrader) writes links and attributes from these TeX commands
    "$\\href{javascript:alert(1)}{x}$",
    "$$\\class{x}{y} \\cssId{a}{b}$$",
    "\\begin{align}\\href{javascript:alert(1)}{x}\\end{align}",
    "$\\def\\h{\\hr}\\h ef{x}$",
    "&#36;&#92;href{javascript:alert(1)}{x}&#36;",
    # an image of a missing attachment made nbconvert fail for the whole page
    "![x](attachment:figure.png)",
    '<a href="javascript&#58;alert(1)">raw</a>',
    "<details open ontoggle=alert(1)>",
]


@pytest.mark.parametrize("source", ORDINARY)
def test_ordinary_markdown_is_kept_byte_for_byte(source: str) -> None:
    assert safe_html.markdown_problem(source, ATTACHMENTS) is None
    assert safe_html.safe_markdown(source, ATTACHMENTS) == source


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_shown_as_text(source: str) -> None:
    assert not safe_html.markdown_is_inert(source)
    safe = safe_html.safe_markdown(source)
    assert safe.startswith(safe_html.NOTE)
    assert safe_html.markdown_is_inert(safe)
    for rendered in safe_html.renderings(safe):
        for marker in ("<img", "<script", "<div on", "<iframe", "<svg", "jp-Mermaid", "<details", "<a "):
            assert marker not in rendered, (marker, rendered)


def test_a_fence_inside_the_answer_cannot_close_the_literal_block() -> None:
    source = "`````\n</code></pre><img src=x onerror=alert(1)>\n`````\n<script>alert(2)</script>"
    safe = safe_html.safe_markdown(source)
    assert safe_html.markdown_is_inert(safe)
    assert "<img" not in markdown2html_mistune(safe) and "<script" not in markdown2html_mistune(safe)


def test_a_huge_answer_is_judged_and_kept_up_to_its_bound_and_says_it_was_cut() -> None:
    source = "word " * (safe_html.MAX_MARKDOWN_CHARS // 5 + 1000)
    safe = safe_html.safe_markdown(source)
    assert safe.startswith(safe_html.NOTE) and "5000 more characters are not shown here" in safe
    assert len(safe) < safe_html.MAX_MARKDOWN_CHARS + 500


def test_only_image_attachments_in_base64_are_kept() -> None:
    attachments = {
        "plot.png": {"image/png": "iVBORw0KGgo=", "text/html": "<script>alert(1)</script>"},
        "evil.svg": {"image/svg+xml": "PHN2Zz4="},
        "quote.png": {"image/png": 'x" onerror="alert(1)'},
    }
    assert safe_html.safe_attachments(attachments) == {"plot.png": {"image/png": "iVBORw0KGgo="}}


def test_an_image_of_a_dropped_attachment_turns_its_cell_into_text() -> None:
    source = "![x](attachment:evil.svg)"
    kept = safe_html.safe_attachments({"evil.svg": {"image/svg+xml": "PHN2Zz4="}})
    assert safe_html.safe_markdown(source, kept).startswith(safe_html.NOTE)


def test_outputs_keep_text_images_and_clean_html_only() -> None:
    output = {
        "output_type": "display_data",
        "data": {
            "text/plain": "<IPython.core.display.HTML object>",
            "text/html": '<b>bold</b><img src=x onerror="alert(1)"><script>alert(2)</script>',
            "application/javascript": "alert(3)",
            "image/svg+xml": "<svg onload=alert(4)></svg>",
            "image/png": "iVBORw0KGgo=",
        },
        "metadata": {"image/png": {"width": "1 onerror=alert(5)"}},
    }
    safe = safe_html.safe_output(output)
    assert set(safe["data"]) == {"text/plain", "text/html", "image/png"}
    assert "<b>bold</b>" in safe["data"]["text/html"]
    assert "onerror" not in safe["data"]["text/html"] and "script" not in safe["data"]["text/html"]
    assert safe["metadata"] == {}


def test_html_outputs_keep_tables_and_lose_what_the_allowlist_lacks() -> None:
    frame = '<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th>a</th></tr></thead></table>'
    hostile = '<a href="javascript&#58;alert(1)">x</a><b class="modal" style="position:fixed">y</b><!-- c -->'
    output = {"output_type": "display_data", "data": {"text/html": frame + hostile}, "metadata": {}}
    kept = safe_html.safe_output(output)["data"]["text/html"]
    assert kept.startswith(frame)
    assert "javascript" not in kept and "modal" not in kept and "fixed" not in kept and "<!--" not in kept


def test_an_oversized_html_output_and_malformed_image_data_are_dropped() -> None:
    data = {
        "text/html": "<b>x</b>" * (safe_html.MAX_HTML_CHARS // 8 + 1),
        "image/png": 'x" onerror="alert(1)',
        "text/markdown": "[x](javascript&amp;#58;alert(1))",
    }
    output = {"output_type": "display_data", "data": data, "metadata": {}}
    assert safe_html.safe_output(output)["data"] == {
        "text/plain": "(output of type image/png, text/html, text/markdown is not kept in graded notebooks)"
    }


def test_a_raw_cell_is_cleaned_or_escaped() -> None:
    assert safe_html.safe_raw('<b>x</b><img src=x onerror="alert(1)">') == '<b>x</b><img src="x">'
    huge = "<b>x</b>" * (safe_html.MAX_HTML_CHARS // 8 + 1)
    assert safe_html.safe_raw(huge).startswith("<pre>&lt;b&gt;")
    assert safe_html.safe_raw("$\\href{javascript:alert(1)}{x}$") == "<pre>$\\href{javascript:alert(1)}{x}$</pre>"


def test_an_output_of_dropped_types_only_says_what_was_dropped() -> None:
    output = {"output_type": "display_data", "data": {"application/javascript": "x"}, "metadata": {}}
    safe = safe_html.safe_output(output)
    assert safe["data"] == {"text/plain": "(output of type application/javascript is not kept in graded notebooks)"}


def test_streams_and_errors_are_left_alone() -> None:
    stream = {"output_type": "stream", "name": "stdout", "text": "<script>alert(1)</script>"}
    assert safe_html.safe_output(stream) == stream  # nbconvert escapes stream text

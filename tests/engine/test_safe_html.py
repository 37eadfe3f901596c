"""Unit tests of what may reach a browser from a submission (:mod:`autograder.safe_html`)."""

from __future__ import annotations

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder import safe_html

ORDINARY = [
    "All four are **true**: with $K = 1$ we get $F(x) = W_1 x$, and $a < b$ since `x<y`.",
    "# Heading\n\n- a list with [a link](https://example.org) and ![a plot](plot.png)\n\n> quoted",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('<b>')\n```\n\n$$\\frac{1}{n}\\sum_i \\ell_i$$",
    "Mail [me](mailto:ta@example.org) or see [below](#part-f); ![x](attachment:plot.png)",
]
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
]


@pytest.mark.parametrize("source", ORDINARY)
def test_ordinary_markdown_is_kept_byte_for_byte(source: str) -> None:
    assert safe_html.markdown_is_inert(source)
    assert safe_html.safe_markdown(source) == source


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_shown_as_text(source: str) -> None:
    assert not safe_html.markdown_is_inert(source)
    safe = safe_html.safe_markdown(source)
    assert safe.startswith(safe_html.NOTE)
    assert safe_html.markdown_is_inert(safe)
    rendered = markdown2html_mistune(safe)
    for marker in ("<img", "<script", "<div on", "<iframe", 'href="javascript', "<svg", 'class="mermaid"'):
        assert marker not in rendered, (marker, rendered)


def test_a_fence_inside_the_answer_cannot_close_the_literal_block() -> None:
    source = "`````\n</code></pre><img src=x onerror=alert(1)>\n`````\n<script>alert(2)</script>"
    safe = safe_html.safe_markdown(source)
    assert safe_html.markdown_is_inert(safe)
    assert "<img" not in markdown2html_mistune(safe) and "<script" not in markdown2html_mistune(safe)


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


def test_an_output_of_dropped_types_only_says_what_was_dropped() -> None:
    output = {"output_type": "display_data", "data": {"application/javascript": "x"}, "metadata": {}}
    safe = safe_html.safe_output(output)
    assert safe["data"] == {"text/plain": "(output of type application/javascript is not kept in graded notebooks)"}


def test_streams_and_errors_are_left_alone() -> None:
    stream = {"output_type": "stream", "name": "stdout", "text": "<script>alert(1)</script>"}
    assert safe_html.safe_output(stream) == stream  # nbconvert escapes stream text

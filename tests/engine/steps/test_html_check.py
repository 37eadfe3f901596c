"""Unit tests of the last judge of what a page may receive (:mod:`autograder.steps.html_check`)."""

from __future__ import annotations

import pytest

from autograder.steps import html_check

INERT = [
    '<p>text with <b>bold</b>, <code>x &lt; y</code> and a <a href="https://example.org">link</a></p>',
    '<h2 id="Part-f">Part f<a class="anchor-link" href="#Part-f">¶</a></h2>',
    '<table><tr><td style="text-align:right">1</td></tr></table><img src="plot.png" alt="a plot" width="300">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi><mo>=</mo><mn>1</mn></math>',
    '<ul><li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled checked></li></ul>',
    "<pre><code>$\\href{javascript:alert(1)}{x}$ is code, which MathJax leaves alone</code></pre>",
    '<div class="highlight"><pre><span></span>$\\href{javascript:alert(1)}{x}$ after a span in code</pre></div>',
    '<a href="mailto:ta@example.org">mail</a> <a href="//example.org/x?y=javascript:z">relative</a>',
]
NOT_INERT = {
    '<a href="javascript:alert(1)">x</a>': "URL scheme 'javascript'",
    '<a href="javascript&amp;#58;alert(1)">x</a>': "URL scheme 'javascript'",
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>': "URL scheme 'javascript'",
    '<a href="java%09script%3Aalert(1)">x</a>': "URL scheme 'javascript'",
    '<a href=" \x01javascript:alert(1)">x</a>': "URL scheme 'javascript'",
    '<a href="vbscript:x">x</a>': "URL scheme 'vbscript'",
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">': "URL scheme 'data'",
    '<a href="data:image/png;base64,iVBORw0KGgo=">x</a>': "URL scheme 'data'",
    "<img src=x onerror=alert(1)>": "attribute 'onerror' on <img>",
    "<script>alert(1)</script>": "element <script>",
    "<svg><a href=x>y</a></svg>": "element <{http://www.w3.org/2000/svg}svg>",
    '<math><annotation-xml encoding="text/html"><img src=x></annotation-xml></math>': "element <annotation-xml>",
    '<div class="jp-Mermaid"><pre class="mermaid">graph</pre></div>': "class 'jp-Mermaid'",
    '<p style="background:url(https://evil.example)">x</p>': "style 'background:url(https://evil.example)'",
    "<!-- a comment -->": "a comment",
    '<input type="text">': "input of type 'text'",
    '<img src="x" width="1 onerror=alert(1)">': "width '1 onerror=alert(1)'",
    "<p>$\\href{javascript:alert(1)}{x}$</p>": "TeX command '\\\\href'",
    "<p>$&#92;cssId{a}{b}$</p>": "TeX command '\\\\cssId'",
    "<p>\\begin{align}\\newcommand{\\x}{y}\\end{align}</p>": "TeX command '\\\\newcommand'",
    "<form action=x><button>y</button></form>": "element <form>",
    '<a href="javascript%25' + "25" * 12 + '3Aalert(1)">deep</a>': (
        "URL 'javascript%252525252525252525252525253Aa' is escaped too many times"
    ),
}


@pytest.mark.parametrize("fragment", INERT)
def test_the_html_of_ordinary_answers_is_inert(fragment: str) -> None:
    assert html_check.problem(fragment) is None


@pytest.mark.parametrize("fragment", NOT_INERT)
def test_anything_outside_the_allowlists_is_named(fragment: str) -> None:
    assert html_check.problem(fragment) == NOT_INERT[fragment]


def test_tex_words_that_only_start_like_a_refused_command_are_fine() -> None:
    assert html_check.problem("<p>$\\dagger \\left( \\deg \\hrule \\datum$</p>") is None

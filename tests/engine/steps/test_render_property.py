"""Property: whatever a submission writes or prints, no page rendered from what autograding stores
can run script (:func:`autograder.steps.sanitize.make_inert`, judged by :mod:`tests.page_check`).

Hypothesis builds markdown cells, outputs, raw cells and attachments from dangerous pieces
(entities, nested and numeric encodings, percent-escapes, autolinks, reference links, link
titles, math with ``\\href``, HTML blocks, data and attachment URLs, mermaid blocks), runs them
through the step that autograding runs, renders the result as the formgrader, nbconvert's
templates and the feedback page do, and asks what the page brings beyond its template.
"""

from __future__ import annotations

import nbformat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.steps.sanitize import make_inert
from tests import page_check

#: Ways to write the colon after a scheme (once, twice or mixed encoded).
COLONS = (":", "&#58;", "&amp;#58;", "&#x3A;", "&amp;#x3a;", "&colon;", "&amp;colon;", "%3A", "&#37;3A", "&amp;#37;3A")
SCHEMES = ("javascript", "JaVaScRiPt", "java\tscript", "&#106;avascript", "vbscript", "data", "https", "")
PAYLOADS = ("alert(1)", "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "//example.org/x", "")
ATTACHMENT_BUNDLES = (
    {"image/png": "iVBORw0KGgo="},
    {"image/svg+xml": "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+"},
    {"text/html": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
    {"image/png": 'x" onerror="alert(1)'},
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(SCHEMES)) + draw(st.sampled_from(COLONS)) + draw(st.sampled_from(PAYLOADS))


@st.composite
def markdown_pieces(draw: st.DrawFn) -> str:
    url = draw(urls())
    text = draw(st.sampled_from(("my derivation", "x", "$x$", "**b**")))
    title = draw(st.sampled_from(("", ' "a title"', " 'x\" onmouseover=\"alert(1)'")))
    piece = draw(
        st.sampled_from(
            (
                f"[{text}](<{url}>{title})",
                f"[{text}]({url}{title})",
                f"![{text}]({url}{title})",
                f"<{url}>",
                f"[{text}][r]\n\n[r]: {url}{title}\n",
                f"![{text}][r]\n\n[r]: <{url}>\n",
                f"$\\href{{{url}}}{{{text}}}$",
                f"$$\\class{{x}}{{{text}}}$$",
                f"\\begin{{align}}\\href{{{url}}}{{x}}\\end{{align}}",
                f'<a href="{url}">{text}</a>',
                f"<img src=x onerror={url}>",
                f'<div onclick="{url}">{text}</div>',
                f"<details open ontoggle={url}>",
                f"```mermaid\n</pre><img src=x onerror=alert(1)>\n{text}\n```",
                f"&#36;&#92;href{{{url}}}{{x}}&#36;",
                f"![{text}](attachment:{draw(st.sampled_from(('figure.png', 'evil.svg', 'page.html')))})",
                "<!-- <script>alert(1)</script> -->",
                f"<math><annotation-xml encoding='text/html'><img src=x onerror={url}></annotation-xml></math>",
                f"| a |\n|---|\n| [{text}]({url}) |",
                f"- [ ] [{text}]({url})",
                f"term\n: [{text}]({url})",
            )
        )
    )
    return piece


@st.composite
def markdown_cells(draw: st.DrawFn) -> str:
    return "\n\n".join(draw(st.lists(markdown_pieces(), min_size=1, max_size=3)))


@st.composite
def notebooks(draw: st.DrawFn) -> nbformat.NotebookNode:
    """A submission's notebook: written answers with attachments, an output of each kind, a raw cell."""
    notebook = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_markdown_cell(draw(markdown_cells()))
    names = draw(st.lists(st.sampled_from(("figure.png", "evil.svg", "page.html")), max_size=2, unique=True))
    if names:
        answer.attachments = {name: draw(st.sampled_from(ATTACHMENT_BUNDLES)) for name in names}
    code = nbformat.v4.new_code_cell("display(...)")
    data = {
        "text/plain": "<b>text</b>",
        "text/markdown": draw(markdown_cells()),
        "text/html": draw(markdown_cells()),
        "image/png": draw(st.sampled_from(("iVBORw0KGgo=", 'x" onerror="alert(1)'))),
    }
    code.outputs = [nbformat.v4.new_output("display_data", data=data, metadata={"image/png": {"width": "1 onerror=x"}})]
    raw = nbformat.v4.new_raw_cell(draw(markdown_cells()), metadata={"raw_mimetype": "text/html"})
    notebook.cells = [answer, code, raw]
    return notebook


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(notebooks())
def test_no_page_rendered_from_a_stored_submission_can_run_script(notebook: nbformat.NotebookNode) -> None:
    make_inert(notebook, locked={})
    nbformat.validate(notebook)
    assert page_check.brought_by(notebook) == {}


def test_the_page_check_sees_what_an_unsanitized_submission_brings() -> None:
    """The property above means something: the same pieces, stored as written, are found."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("[my derivation](<javascript&amp;#58;alert(1)>)")]
    brought = page_check.brought_by(notebook)
    assert "URL a.href='javascript:alert(1)'" in brought["formgrader"]
    assert "URL a.href='javascript:alert(1)'" in brought["feedback"]

"""What of a submission may reach a browser: markdown, outputs and raw cells, judged as rendered.

A submission's notebook is rendered to HTML by nbconvert in the formgrader (with the Jupyter
server's origin and the instructor's token) and in the feedback pages. nbgrader's templates render
markdown with ``markdown2html`` and no sanitizer, and nbconvert's renderer passes raw HTML,
``javascript:`` links and ``mermaid`` blocks through, and decodes entities a second time. So each
piece is rendered here the way the pages render it, and the HTML that comes out is judged by
:mod:`autograder.steps.html_check` (a browser's parser, then allowlists):

* a markdown cell (with its attachments) or markdown output is rendered with nbconvert's own
  renderer (``markdown2html`` and ``strip_files_prefix``, as nbconvert's and nbgrader's templates
  do) and with the feedback page's (:mod:`autograder.steps.mathml`); when both are inert the
  text is kept byte for byte. Otherwise (or when it cannot be rendered, e.g. an image of a
  missing attachment, which made nbconvert fail for the whole page) the cell is stored as its
  literal text in a code fence under a note, so a person can still read and grade it, and that
  literal form is judged the same way;
* outputs keep plain text, PNG/JPEG/GIF images with well-formed base64 data, inert markdown and
  ``text/html`` cleaned by nh3 (ammonia's sanitizer) with the same allowlists and then judged as
  well; SVG, JavaScript, widget views and the rest are dropped, and so is output metadata (the
  templates write it into ``<img>`` attributes);
* raw cells lose the mime type that would make nbconvert paste them into the page, and their
  text is cleaned and judged like an HTML output (escaped in a ``<pre>`` block when it is not
  inert);
* sizes are bounded: a markdown cell is judged on its first :data:`MAX_MARKDOWN_CHARS` characters
  (the rest is cut, with a note: the submitted notebook keeps it), an HTML output over
  :data:`MAX_HTML_CHARS` is dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import nh3
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.strings import strip_files_prefix

from autograder.steps import html_check
from autograder.steps.mathml import MathMLRenderer, markdown_to_html

#: Output mime types kept as they are (nbconvert shows images as <img src="data:...">).
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*\Z")
#: Characters of one markdown cell that are judged and kept; beyond them the text is cut.
MAX_MARKDOWN_CHARS = 100_000
#: Characters of one ``text/html`` output that are judged and kept; a longer one is dropped.
MAX_HTML_CHARS = 256 * 1024
NOTE = (
    "*(This answer contained HTML, links, formulas or attachments that cannot be shown safely as they are;"
    " its text is shown as written.)*"
)
CUT = "\n[... {count} more characters are not shown here; the submitted notebook has them]"


def renderings(source: str, attachments: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The HTML the pages make of this markdown: nbconvert's templates (the formgrader) and the
    course's feedback page. Raises what the renderers raise (e.g. a missing attachment)."""
    attached = dict(attachments or {})
    nbconvert_renderer = IPythonRenderer(escape=False, attachments=attached)
    page = strip_files_prefix(MarkdownWithMath(renderer=nbconvert_renderer).render(source))
    feedback = markdown_to_html(source, MathMLRenderer(escape=False, attachments=attached))
    return page, feedback


def markdown_problem(source: str, attachments: Mapping[str, Any] | None = None) -> str | None:
    """What in this markdown's rendered HTML is not allowed; None when nothing is."""
    try:
        rendered = renderings(source, attachments)
    except Exception as error:  # mistune and nbconvert raise many kinds of error
        return f"it cannot be rendered ({type(error).__name__}: {str(error)[:80]})"
    for page in rendered:
        found = html_check.problem(page)
        if found:
            return found
    return None


def markdown_is_inert(source: str, attachments: Mapping[str, Any] | None = None) -> bool:
    """Whether every page renders this markdown without HTML, script or a link of its author's that
    is not allowed."""
    return markdown_problem(source, attachments) is None


def as_literal_markdown(source: str) -> str:
    """Markdown that shows ``source`` as text: a note, then the text (cut to
    :data:`MAX_MARKDOWN_CHARS`) in a code fence longer than any run of backticks in it (so
    nothing in it can close the fence)."""
    if len(source) > MAX_MARKDOWN_CHARS:
        source = source[:MAX_MARKDOWN_CHARS] + CUT.format(count=len(source) - MAX_MARKDOWN_CHARS)
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{NOTE}\n\n{fence}text\n{source}\n{fence}"


def safe_markdown(source: str, attachments: Mapping[str, Any] | None = None) -> str:
    """``source`` itself when every page renders it inert, else its text shown literally."""
    if len(source) <= MAX_MARKDOWN_CHARS and markdown_is_inert(source, attachments):
        return source
    literal = as_literal_markdown(source)
    return literal if markdown_is_inert(literal) else NOTE


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def is_image_data(value: Any) -> bool:
    """Whether an image's data is base64 only (the templates write it into ``src="data:..."``)."""
    return bool(BASE64.match(_text(value)))


def safe_attachments(attachments: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """A markdown cell's attachments with only PNG, JPEG and GIF images in base64 (nbconvert
    prefers an attachment's SVG and writes any other type into the page as a data URL)."""
    kept: dict[str, dict[str, str]] = {}
    for name, bundle in attachments.items():
        images = {mime: _text(data) for mime, data in dict(bundle).items() if mime in IMAGE_TYPES}
        images = {mime: data for mime, data in images.items() if is_image_data(data)}
        if images:
            kept[str(name)] = images
    return kept


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: an attribute :mod:`autograder.steps.html_check` allows, else nothing."""
    return None if html_check.attribute_problem(tag, False, name, value) else value


def clean_html(fragment: str) -> str:
    """HTML with only the elements and attributes :mod:`autograder.steps.html_check` allows (nh3)."""
    # nh3 writes rel itself.
    attributes = {tag: set(html_check.GLOBAL_ATTRIBUTES | html_check.ATTRIBUTES.get(tag, frozenset())) - {"rel"}
                  for tag in html_check.HTML_TAGS}  # fmt: skip
    return nh3.clean(
        fragment,
        tags=set(html_check.HTML_TAGS),
        attributes=attributes,
        attribute_filter=_keep_attribute,
        url_schemes=set(html_check.LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def safe_html_or_none(fragment: str) -> str | None:
    """``fragment`` cleaned, when the cleaned HTML is inert and not too long; None otherwise."""
    if len(fragment) > MAX_HTML_CHARS:
        return None
    cleaned = clean_html(fragment)
    return cleaned if html_check.is_inert(cleaned) else None


def safe_raw(source: str) -> str:
    """A raw cell's text as the templates may paste it into a page: cleaned, or escaped in a
    ``<pre>`` block (which MathJax leaves alone)."""
    cleaned = safe_html_or_none(source)
    return cleaned if cleaned is not None else f"<pre>{html.escape(source[:MAX_HTML_CHARS])}</pre>"


def safe_output(output: Mapping[str, Any]) -> dict[str, Any]:
    """One cell output with only what may be shown in a browser; a note where data was dropped."""
    output = dict(output)
    if "data" not in output:
        return output
    data, dropped = {}, []
    for mime, value in output["data"].items():
        if mime == "text/plain":
            data[mime] = value
        elif mime in IMAGE_TYPES and is_image_data(value):
            data[mime] = value
        elif mime == "text/html" and (cleaned := safe_html_or_none(_text(value))) is not None:
            data[mime] = cleaned
        elif mime == "text/markdown" and len(_text(value)) <= MAX_MARKDOWN_CHARS and markdown_is_inert(_text(value)):
            data[mime] = _text(value)
        else:
            dropped.append(mime)
    if dropped and "text/plain" not in data:
        data["text/plain"] = f"(output of type {', '.join(sorted(dropped))} is not kept in graded notebooks)"
    output["data"] = data
    output["metadata"] = {}  # the templates put image sizes from here into <img> attributes
    return output

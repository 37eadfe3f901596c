"""What of a submission may reach a browser: markdown, outputs and raw cells made inert.

A submission's notebook is rendered to HTML by nbconvert in the formgrader (with the Jupyter
server's origin and the instructor's token) and in the feedback. nbgrader's templates render
markdown with ``markdown2html`` and no sanitizer, and nbconvert's markdown renderer passes raw
HTML, ``javascript:`` links and ``mermaid`` blocks through unescaped. So what is stored is made
safe here, by allowlists that do not depend on how a browser would parse it:

* markdown is parsed with nbconvert's own parser (the one that renders it); a cell whose
  tokens are all of kinds that nbconvert renders escaped, with links and images to safe URLs
  only, is kept byte for byte. Any other cell is stored as its literal text in a code fence
  (which every markdown renderer shows as text), under a note, so a person can still read it;
* outputs keep only plain text, PNG/JPEG/GIF images, inert markdown and ``text/html`` cleaned
  by nh3 (ammonia's allowlist sanitizer); SVG, JavaScript, widget views and the rest are
  dropped, and so is output metadata (the templates write it into ``<img>`` attributes);
* raw cells lose the mime type that would make nbconvert paste them into the page verbatim,
  and their text is cleaned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import nh3
from nbconvert.filters.markdown_mistune import MarkdownWithMath

#: Markdown tokens that nbconvert's renderer (IPythonRenderer) writes out escaped.
INERT_TOKENS = frozenset(
    {
        "blank_line", "block_code", "block_math", "block_quote", "block_text", "codespan", "def_list",
        "def_list_head", "def_list_item", "emphasis", "heading", "image", "inline_math", "latex_environment",
        "linebreak", "link", "list", "list_item", "paragraph", "softbreak", "strikethrough", "strong", "table",
        "table_body", "table_cell", "table_head", "table_row", "task_list_item", "text", "thematic_break",
    }
)  # fmt: skip
#: URL schemes a link may have (a URL without a scheme is relative, which is fine).
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: Output mime types kept as they are (nbconvert shows images as <img src="data:...">).
KEPT_OUTPUT_TYPES = frozenset({"text/plain", "image/png", "image/jpeg", "image/gif"})
IMAGE_DATA_URL = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*\Z")
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
NOTE = "*(This answer contained HTML or links that could run code in a browser; its text is shown as written.)*"


def _scheme(url: str) -> str | None:
    """The scheme of a URL as a browser would read it (case, whitespace and control characters ignored)."""
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    match = SCHEME.match(compact)
    return match.group(1) if match else None


def _url_is_safe(url: str, image: bool) -> bool:
    scheme = _scheme(url)
    if scheme is None or scheme in LINK_SCHEMES:
        return True
    return image and (scheme == "attachment" or bool(IMAGE_DATA_URL.match(url.strip())))


def _tokens_are_inert(tokens: Iterable[Mapping[str, Any]]) -> bool:
    for token in tokens:
        kind = token.get("type")
        if kind not in INERT_TOKENS:
            return False
        attrs = token.get("attrs") or {}
        if kind in ("link", "image") and not _url_is_safe(str(attrs.get("url", "")), image=kind == "image"):
            return False
        if kind == "block_code" and str(attrs.get("info") or "").strip().lower().startswith("mermaid"):
            return False  # rendered as <pre class="mermaid"> with the code unescaped
        children = token.get("children")
        if isinstance(children, list) and not _tokens_are_inert(children):
            return False
    return True


def markdown_is_inert(source: str) -> bool:
    """Whether nbconvert renders this markdown without any HTML, script or unsafe link of its author's."""
    tokens, _ = MarkdownWithMath(renderer=None).parse(source)
    return _tokens_are_inert(tokens)


def as_literal_markdown(source: str) -> str:
    """Markdown that shows ``source`` as text: a note, then the text in a code fence longer than
    any run of backticks in it (so nothing in it can close the fence)."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{NOTE}\n\n{fence}text\n{source}\n{fence}"


def safe_markdown(source: str) -> str:
    """``source`` itself when it is inert, else its text shown literally."""
    if markdown_is_inert(source):
        return source
    literal = as_literal_markdown(source)
    return literal if markdown_is_inert(literal) else NOTE


def clean_html(html: str) -> str:
    """HTML with only nh3's allowlisted tags and attributes (no scripts, handlers, styles or frames)."""
    return nh3.clean(html, link_rel="noopener noreferrer")


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def safe_output(output: Mapping[str, Any]) -> dict[str, Any]:
    """One cell output with only what may be shown in a browser; a note where data was dropped."""
    output = dict(output)
    if "data" not in output:
        return output
    data, dropped = {}, []
    for mime, value in output["data"].items():
        if mime in KEPT_OUTPUT_TYPES:
            data[mime] = value
        elif mime == "text/html":
            data[mime] = clean_html(_text(value))
        elif mime == "text/markdown" and markdown_is_inert(_text(value)):
            data[mime] = _text(value)
        else:
            dropped.append(mime)
    if dropped and "text/plain" not in data:
        data["text/plain"] = f"(output of type {', '.join(sorted(dropped))} is not kept in graded notebooks)"
    output["data"] = data
    output["metadata"] = {}  # the templates put image sizes from here into <img> attributes
    return output

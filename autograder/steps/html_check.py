"""Whether a piece of HTML is inert in a browser: parsed as a browser parses it, then held to allowlists.

This is the last judge of what a submission may put into a page (the formgrader, the feedback
page, anything nbconvert renders from a stored notebook). It looks at the HTML the browser will
receive, not at the markdown or output it came from: a renderer may decode or rewrite on the way
(nbconvert's markdown renderer decodes ``&amp;#58;`` a second time and writes ``javascript:``).

The HTML is parsed with html5lib, an implementation of the HTML5 parsing algorithm that browsers
follow (entities decoded once, as a browser decodes them; foreign MathML content; misnested tags).
Then every node is held to allowlists:

* elements: text-level and block markup, tables, lists, images, task-list checkboxes and MathML
  Core (no script, style, form, frame, object, SVG, template, ``annotation-xml``; no comments);
* attributes, per element; ``class`` only with the names nbconvert and Pygments write (not
  ``mermaid``, which makes a page run mermaid.js on the text), ``style`` only as a text alignment;
* URLs (``href``, ``src``) after full unescaping (HTML entities and percent-escapes, repeated until
  nothing changes; spaces and control characters dropped): relative, ``http(s)``, ``mailto``, or
  for images a base64 PNG, JPEG or GIF;
* text outside code: no TeX command with which MathJax (in the formgrader) writes links, classes,
  styles or identifiers, loads extensions or defines macros (``\\href``, ``\\class``, ``\\def``, ...).
"""

from __future__ import annotations

import html
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator

import html5lib
from pygments.token import STANDARD_TYPES

from autograder.steps.mathml import PRESENTATION
from autograder.steps.mathml import TAGS as MATHML_CORE

MATHML = "{http://www.w3.org/1998/Math/MathML}"
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: HTML elements a submission's markdown or output may render to.
HTML_TAGS = HEADINGS | frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "dfn",
        "div", "dl", "dt", "em", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
        "samp", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "tt", "u", "ul", "var",
    }
)  # fmt: skip
#: MathML elements (the feedback page's formulas); ``annotation-xml`` can hold HTML, so it is not one.
MATHML_TAGS = MATHML_CORE - {"annotation-xml"}
#: Attributes any allowed element may have (``class`` and ``style`` are checked further).
GLOBAL_ATTRIBUTES = frozenset({"title", "class", "style", "align"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "rel"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "input": frozenset({"type", "disabled", "checked"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "table": frozenset({"border"}),
    **{heading: frozenset({"id"}) for heading in HEADINGS},
}
MATHML_ATTRIBUTES = PRESENTATION | {"display"}
#: ``<math xmlns="...">`` as html5lib names it (its only allowed value: MathML's namespace).
XMLNS = ("{http://www.w3.org/2000/xmlns/}xmlns", MATHML.strip("{}"))
#: Class names that nbconvert (anchors, task lists, code highlighting) and pandas write.
CLASSES = frozenset(STANDARD_TYPES.values()) | {
    "anchor-link", "task-list-item", "task-list-item-checkbox", "highlight", "dataframe", "tex",
}  # fmt: skip
TEXT_ALIGN = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*\Z")
NUMBER = re.compile(r"\s*\d{1,6}\s*\Z")
#: Attributes that hold a URL.
URL_ATTRIBUTES = frozenset({"href", "src"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_DATA_URL = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=]*\Z")
#: TeX commands with which MathJax writes HTML attributes, loads code or defines macros.
TEX_COMMANDS = re.compile(
    r"\\\s*(href|url|class|cssid|style|require|data|unicode|html[a-z]*|mmltoken|def|gdef|edef|xdef|newcommand"
    r"|renewcommand|providecommand|newenvironment|renewenvironment|let|csname|input|include|bbox|begingroup"
    r"|toggle|texttip|tooltip|statusline|mathtip)(?![a-z])",
    re.IGNORECASE,
)
#: Elements whose text MathJax does not typeset.
UNTYPESET = frozenset({"pre", "code"})
NOT_PRINTED = re.compile(r"[\x00-\x20\x7f]+")
#: Unescaping rounds after which a URL that still changes is refused.
UNESCAPE_ROUNDS = 10


def fully_unescaped(url: str) -> str | None:
    """``url`` with HTML entities and percent-escapes decoded until nothing changes (None if that
    takes more than :data:`UNESCAPE_ROUNDS` rounds), without spaces or control characters."""
    for _ in range(UNESCAPE_ROUNDS):
        decoded = urllib.parse.unquote(html.unescape(url))
        if decoded == url:
            return NOT_PRINTED.sub("", url).replace("\\", "/")
        url = decoded
    return None


def url_problem(url: str, image: bool) -> str | None:
    """Why ``url`` is not a safe link (or, with ``image``, image source); None when it is."""
    plain = fully_unescaped(url)
    if plain is None:
        return f"URL {url[:40]!r} is escaped too many times"
    if image and IMAGE_DATA_URL.match(plain):
        return None
    head = re.split(r"[/?#]", plain, maxsplit=1)[0]
    if ":" not in head:
        return None  # relative
    scheme = head.split(":", 1)[0].lower()
    if scheme in LINK_SCHEMES:
        return None
    return f"URL scheme {scheme[:20]!r}"


def _tag(element: ElementTree.Element) -> tuple[str, bool] | None:
    """The element's name and whether it is MathML; None for a comment or processing instruction."""
    if not isinstance(element.tag, str):
        return None
    if element.tag.startswith(MATHML):
        return element.tag.removeprefix(MATHML), True
    return element.tag, False


def attribute_problem(tag: str, mathml: bool, name: str, value: str) -> str | None:
    """Why this attribute of a ``tag`` (a MathML one when ``mathml``) is not allowed; None when it is."""
    if mathml and (name, value) == XMLNS:
        return None
    name = name.lower()
    allowed = MATHML_ATTRIBUTES if mathml else GLOBAL_ATTRIBUTES | ATTRIBUTES.get(tag, frozenset())
    if name not in allowed:
        return f"attribute {name[:40]!r} on <{tag}>"
    if name in URL_ATTRIBUTES:
        return url_problem(value, image=tag == "img")
    if name == "class" and not set(value.split()) <= CLASSES:
        return f"class {value[:40]!r}"
    if name == "style" and not TEXT_ALIGN.match(value):
        return f"style {value[:40]!r}"
    if name in ("width", "height", "start", "colspan", "rowspan", "border") and not NUMBER.match(value):
        return f"{name} {value[:40]!r}"
    if tag == "input" and name == "type" and value.strip().lower() != "checkbox":
        return f"input of type {value[:20]!r}"
    return None


def _texts(element: ElementTree.Element, typeset: bool) -> Iterator[str]:
    """The text MathJax would typeset: everything outside ``pre`` and ``code``."""
    named = _tag(element)
    inside = typeset and not (named is not None and named[0] in UNTYPESET)
    if inside and element.text:
        yield element.text
    for child in element:
        yield from _texts(child, inside)
        if inside and child.tail:
            yield child.tail


def _element_problem(element: ElementTree.Element) -> str | None:
    named = _tag(element)
    if named is None:
        return "a comment"
    tag, mathml = named
    if tag not in (MATHML_TAGS if mathml else HTML_TAGS):
        return f"element <{tag[:40]}>"
    for name, value in element.attrib.items():  # a namespaced one ("{...}href") is in no allowlist
        problem = attribute_problem(tag, mathml, name, value)
        if problem:
            return problem
    for child in element:
        problem = _element_problem(child)
        if problem:
            return problem
    return None


def problem(fragment: str) -> str | None:
    """What in this HTML fragment (as it sits in a ``<div>`` of a page) is not allowed; None when
    everything is."""
    root = html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=False)
    for child in root:
        found = _element_problem(child)
        if found:
            return found
    for text in _texts(root, typeset=True):
        command = TEX_COMMANDS.search(text)
        if command:
            return f"TeX command {command.group(0)[:20]!r}"
    return None


def is_inert(fragment: str) -> bool:
    """Whether this HTML fragment is allowed in a page (see :func:`problem`)."""
    return problem(fragment) is None

"""The notebook's LaTeX as MathML, written into the feedback page (no MathJax, no network).

nbconvert's markdown parser finds the mathematics (``$...$``, ``$$...$$``, ``\\begin{..}``
environments) as it does for MathJax; :class:`MathMLRenderer` writes each formula as MathML with
``latex2mathml``, which browsers render natively. latex2mathml passes ``\\text{..}`` and
``\\href``-like commands through unescaped, so every formula is cleaned by nh3 with an allowlist
of MathML Core elements and presentation attributes. A formula that cannot be converted is shown
as its TeX source in a code span.
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from latex2mathml.converter import convert
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

#: MathML Core's elements.
TAGS = frozenset(
    {
        "math", "annotation", "annotation-xml", "merror", "mfrac", "mi", "mmultiscripts", "mn", "mo", "mover",
        "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub",
        "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics",
    }
)  # fmt: skip
#: Presentation attributes (no colours, links, classes or styles).
PRESENTATION = frozenset(
    {
        "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "columnspan", "depth", "displaystyle",
        "fence", "form", "frame", "height", "largeop", "linethickness", "lspace", "mathvariant", "maxsize", "minsize",
        "movablelimits", "rowalign", "rowlines", "rowspacing", "rowspan", "rspace", "scriptlevel", "separator",
        "stretchy", "symmetric", "width",
    }
)  # fmt: skip
ATTRIBUTES = {"math": {"display", "xmlns"}, "*": set(PRESENTATION)}


#: Formulas up to this length are kept per process (the sheet's recur on every student's page);
#: a longer one, which only a submission would write, is converted each time and not kept.
CACHED_TEX_CHARS = 2_000


def to_mathml(tex: str, display: bool = False) -> str:
    """One formula as clean MathML (block or inline); its TeX in a code span if it cannot be converted."""
    return _cached_mathml(tex, display) if len(tex) <= CACHED_TEX_CHARS else _mathml(tex, display)


@lru_cache(maxsize=512)
def _cached_mathml(tex: str, display: bool) -> str:
    return _mathml(tex, display)


def _mathml(tex: str, display: bool) -> str:
    try:
        markup = convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of error on malformed TeX
        return f'<code class="tex">{html.escape(tex)}</code>'
    return nh3.clean(markup, tags=set(TAGS), attributes=ATTRIBUTES, link_rel=None)


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with every formula written as MathML."""

    def block_math(self, body: str) -> str:
        """``$$...$$``."""
        return to_mathml(body, display=True)

    def inline_math(self, body: str) -> str:
        """``$...$``."""
        return to_mathml(body)

    def latex_environment(self, name: str, body: str) -> str:
        """``\\begin{name}...\\end{name}``."""
        return to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


def markdown_to_html(source: str, renderer: MathMLRenderer) -> str:
    """A markdown cell's HTML, as nbconvert renders it but with MathML for the mathematics."""
    return MarkdownWithMath(renderer=renderer).render(source)

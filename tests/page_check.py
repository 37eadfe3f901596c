"""The pages people open for a stored notebook, rendered as their servers render them, and what in a
page could run script: for tests that judge the final HTML rather than the stored notebook.

The pages: the formgrader's (nbgrader's ``formgrade`` template, with this course's configuration:
``HTMLExporter.sanitize_html`` on), nbconvert's own ``classic`` and ``lab`` templates (``jupyter
nbconvert --to html`` of an autograded notebook) and this course's feedback page. A page is
judged as a browser parses it (html5lib) against the same page of an empty notebook, so that only
what the notebook brought counts: scripts, event handlers, unsafe URLs, frames and objects,
mermaid blocks and the TeX commands with which MathJax writes links.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from functools import cache

import html5lib
import nbformat
from nbconvert import HTMLExporter

from autograder.reports.feedback.exporter import NBGRADER_TEMPLATES, TEMPLATE_NAME, TEMPLATES, FeedbackExporter
from autograder.steps import html_check

BOOTSTRAP_CSS = NBGRADER_TEMPLATES.parent / "static" / "node_modules" / "bootstrap" / "dist" / "css"
#: Attributes that hold a URL a browser may load or follow.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "srcset", "background", "cite", "srcdoc", "xlink:href"}
)
#: Elements that embed or navigate by themselves.
EMBEDDING = frozenset({"iframe", "frame", "object", "embed", "base", "applet", "portal", "meta", "svg"})
#: Elements whose text no script typesets.
CODE = frozenset({"pre", "code", "script", "style", "textarea", "title"})
FORMGRADER_RESOURCES = {
    "assignment_id": "sheet12", "notebook_id": "sheet12", "submission_id": "1", "index": 0, "total": 1,
    "base_url": "", "student": "student", "last_name": "Doe", "first_name": "Jane",
    "notebook_path": "/files/autograded/student/sheet12/sheet12.ipynb",
}  # fmt: skip


@cache
def exporters() -> dict[str, HTMLExporter]:
    """One exporter per page, configured as the course configures it."""
    formgrader = HTMLExporter(
        template_name="formgrade",
        extra_template_basedirs=[str(NBGRADER_TEMPLATES)],
        sanitize_html=True,
    )
    feedback = FeedbackExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES), str(NBGRADER_TEMPLATES)],
        extra_template_paths=[str(BOOTSTRAP_CSS)],  # as nbgrader's generate_feedback sets it
        sanitize_html=True,
    )
    return {
        "formgrader": formgrader,
        "classic": HTMLExporter(template_name="classic", sanitize_html=True),
        "lab": HTMLExporter(template_name="lab", sanitize_html=True),
        "feedback": feedback,
    }


def render(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """The notebook's page in each place, by place."""
    pages = {}
    for place, exporter in exporters().items():
        resources = {"nbgrader": {"notebook": "sheet12"}} if place == "feedback" else dict(FORMGRADER_RESOURCES)
        pages[place], _ = exporter.from_notebook_node(nbformat.from_dict(notebook), resources=resources)
    return pages


def _name(element: ElementTree.Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else "#comment"
    return tag.rsplit("}", 1)[-1].lower()


def _attribute_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[-1]
    return name.rsplit("}", 1)[-1].lower()


def _findings(element: ElementTree.Element, typeset: bool) -> Iterator[str]:
    tag = _name(element)
    if tag == "script":
        body = (element.text or "").encode()
        yield f"script src={element.get('src')!r} sha256={hashlib.sha256(body).hexdigest()[:16]}"
    if tag in EMBEDDING:
        yield f"element <{tag}> {sorted(element.attrib.items())!r}"
    for raw_name, value in element.attrib.items():
        name = _attribute_name(raw_name)
        if name.startswith("on"):
            yield f"handler {tag}.{name}"
        if name in URL_ATTRIBUTES and html_check.url_problem(value, image=tag == "img" and name == "src"):
            yield f"URL {tag}.{name}={value[:80]!r}"
        if name == "class" and "mermaid" in value.lower():
            yield f"mermaid block <{tag} class={value!r}>"
    inside = typeset and tag not in CODE
    texts = [element.text] if inside else []
    texts += [child.tail for child in element] if inside else []
    for text in texts:
        command = html_check.TEX_COMMANDS.search(text or "")
        if command:
            yield f"TeX command {command.group(0)!r} in <{tag}>"
    for child in element:
        yield from _findings(child, inside)


def findings(page: str) -> set[str]:
    """Everything in a page that runs, loads, navigates or typesets links by itself."""
    return set(_findings(html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False), True))


@cache
def baseline() -> dict[str, frozenset[str]]:
    """The findings of each place's page of an empty notebook: what the templates bring themselves."""
    empty = nbformat.v4.new_notebook()
    return {place: frozenset(findings(page)) for place, page in render(empty).items()}


def brought_by(notebook: nbformat.NotebookNode) -> dict[str, set[str]]:
    """What the notebook brings into each page beyond its template's own (empty when it is inert)."""
    found = {place: findings(page) - baseline()[place] for place, page in render(notebook).items()}
    return {place: items for place, items in found.items() if items}

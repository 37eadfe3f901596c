"""The guarantee catalogue (``tests/guarantees.toml``) as data: the promises of the README and the
documents in ``docs/``, by stable id, the tests that hold each, and the mutations that break a
promise on purpose. The texts mark each paragraph of their promising sections with the ids of the
promises it makes (``<!-- promise: ID -->``) or as promising nothing (``<!-- not a promise -->``),
so that rewording a sentence changes no test. ``tests/test_guarantees.py`` checks the catalogue
against those texts and the test files; ``tests/mutations`` applies its mutations."""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tests" / "guarantees.toml"
#: The sections (``## `` headings) of each text whose every paragraph must be in the catalogue
#: (promise or not), by file below the repository root.
SECTIONS = {
    "README.md": ("Two commands for a fresh machine", "Instructor workflow"),
    "docs/design.md": ("How a cell is graded",),
    "docs/platforms.md": ("Past one machine, on Dask", "On Gradescope"),
    "docs/security.md": ("Security: trusted grading",),
}
#: Where the README stops promising, in the security section.
OUTSIDE = "**Outside the guarantee.**"


#: How a paragraph says which promises it makes (group 1: the id), or that it makes none.
MARKER = re.compile(r"<!-- (?:promise: ([a-z0-9-]+)|not a promise) -->")


@dataclass(frozen=True)
class Guarantee:
    """One promise, by the id its paragraph is marked with, and the tests ("file::test") that fail
    when it breaks."""

    id: str
    tests: tuple[str, ...]


#: The ``function`` of a mutation made by structure anywhere in its file (a module's settings).
MODULE = "<module>"


@dataclass(frozen=True)
class Mutation:
    """One promise broken on purpose: in ``file``, ``old`` becomes ``new``; ``tests`` are run.

    With ``function`` (a qualified name in ``file``, such as ``StandIns.start``, or ``<module>`` for
    the whole file), the mutation is made by structure: ``old`` is a Python expression or statement,
    found there as its syntax tree (however it is formatted, quoted or wrapped), and replaced by
    ``new``. Without it, ``old`` is text that must occur exactly once in the file."""

    name: str
    guarantee: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 300.0
    function: str = ""

    def mutated(self, text: str) -> str:
        """``text`` (the file's) with this mutation made; ValueError unless it is found exactly once."""
        if self.function:
            return _by_structure(text, self.function, self.old, self.new, self.name)
        if text.count(self.old) != 1:
            raise ValueError(f"{self.name}: {self.file} holds the text to change {text.count(self.old)} times")
        return text.replace(self.old, self.new)


def _function(tree: ast.AST, qualname: str) -> ast.AST:
    """The function or class ``qualname`` (dotted) of a module's tree; the whole module for
    ``<module>``."""
    node = tree
    if qualname == MODULE:
        return node
    for name in qualname.split("."):
        found = [
            child
            for child in ast.iter_child_nodes(node)
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child.name == name
        ]
        if len(found) != 1:
            raise ValueError(f"no single {qualname!r} in the file ({name!r} found {len(found)} times)")
        node = found[0]
    return node


def _by_structure(text: str, function: str, old: str, new: str, name: str) -> str:
    """``text`` with the one node of ``function`` whose syntax tree is ``old``'s replaced by ``new``."""
    (statement,) = ast.parse(textwrap.dedent(old)).body
    wanted = statement.value if isinstance(statement, ast.Expr) else statement
    key = ast.dump(wanted)
    scope = _function(ast.parse(text), function)
    found = [node for node in ast.walk(scope) if type(node) is type(wanted) and ast.dump(node) == key]
    if len(found) != 1:
        raise ValueError(f"{name}: {function} holds the code to change {len(found)} times")
    node = found[0]
    lines = text.splitlines(keepends=True)

    def offset(line: int, column: int) -> int:  # the tree's columns count UTF-8 bytes
        return sum(map(len, lines[: line - 1])) + len(lines[line - 1].encode()[:column].decode())

    start, end = offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)
    indent = " " * node.col_offset
    replacement = textwrap.dedent(new).strip("\n").replace("\n", "\n" + indent)
    return text[:start] + replacement + text[end:]


@dataclass(frozen=True)
class Catalogue:
    guarantees: tuple[Guarantee, ...]
    mutations: tuple[Mutation, ...]

    def tests(self) -> set[str]:
        """Every test the catalogue counts."""
        return {test for guarantee in self.guarantees for test in guarantee.tests}


@cache
def load(path: Path = CATALOGUE) -> Catalogue:
    """The catalogue; a mutation without its own tests runs its guarantee's."""
    data = tomllib.loads(path.read_text())
    guarantees = tuple(Guarantee(g["id"], tuple(g["tests"])) for g in data["guarantee"])
    by_id = {guarantee.id: guarantee for guarantee in guarantees}
    mutations = tuple(
        Mutation(
            name=m["name"],
            guarantee=m["guarantee"],
            file=m["file"],
            old=m["old"],
            new=m["new"],
            tests=tuple(m.get("tests") or by_id[m["guarantee"]].tests),
            env=dict(m.get("env", {})),
            timeout=float(m.get("timeout", 300)),
            function=m.get("function", ""),
        )
        for m in data["mutation"]
    )
    return Catalogue(guarantees, mutations)


def marked(text: str) -> list[str]:
    """The ids of the promises a text marks, in order."""
    return [match.group(1) for match in MARKER.finditer(text) if match.group(1)]


def collapsed(text: str) -> str:
    """``text`` with every run of whitespace as one space."""
    return " ".join(text.split())


def texts(root: Path = ROOT) -> dict[str, str]:
    """The README and the documents the catalogue covers, by file."""
    return {name: (root / name).read_text() for name in SECTIONS}


def promising_paragraphs(text: str, sections: tuple[str, ...]) -> list[str]:
    """The paragraphs and list items (whitespace collapsed) of a text's ``sections``, without code
    blocks and tables, up to where the security section stops promising."""
    paragraphs = []
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        title, _, body = section.partition("\n")
        if title.strip() not in sections:
            continue
        body = re.sub(r"```.*?```", "", body.split(OUTSIDE)[0], flags=re.DOTALL)
        for block in re.split(r"\n\s*\n|\n(?=\s*(?:\* |\d+\. ))", body):
            text = collapsed(block)
            if text and not text.startswith(("|", "#")):
                paragraphs.append(text)
    return paragraphs


def defines_test(nodeid: str, root: Path = ROOT) -> bool:
    """Whether "file::test" names a test function defined at the top of that file."""
    file, _, name = nodeid.partition("::")
    path = root / file
    if not path.is_file():
        return False
    tree = ast.parse(path.read_text())
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name for node in tree.body)

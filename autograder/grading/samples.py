"""Sample submissions as files: what a student changed in the release notebook, and what it must get.

Each sample is one Python file in an assignment's ``samples/`` folder (ruff checks them like
any code). Its docstring says what the sample is; ``EXPECTED`` (a literal) says what grading it
must give; cell markers in the style of jupytext's percent format say what changes:

* ``# %% <grade id>``: the new source of that cell (a solution cell, or any other cell a
  student edited); for markdown cells each line is written as a comment (``# text``);
* ``# %% delete <grade id>``: the student deleted that cell;
* ``# %% append code|markdown|raw [JSON metadata]``: a cell the student added at the end;
* ``# %% notebook-metadata JSON``: notebook metadata the student set.

``EXPECTED`` keys (all optional): ``scores`` (grade id to points for each autograded cell that
does not get full marks), ``mistake`` (the named mistake the feedback must show), ``blank``
(the release notebook untouched: no instructor answers filled in), ``flagged`` (the tamper
flag must be raised) and ``fault`` (a fault the record must list). Without ``blank``, every
solution cell first gets the instructor's answer, so a sample only states what differs.
Placeholders ``__WORKDIR__`` and ``__COURSE_ROOT__`` are replaced by the grading run's course
folder and the course repository, for samples that aim at files there.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder.grading import notebooks

MARKER = "# %%"
PLACEHOLDERS = ("__WORKDIR__", "__COURSE_ROOT__")


@dataclass(frozen=True)
class Edit:
    """One change a student made: ``action`` is set, delete, append or metadata."""

    action: str
    target: str
    source: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sample:
    """A submission, as edits of the release notebook, with its expected outcome."""

    student: str
    description: str
    edits: tuple[Edit, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)
    mistake: str | None = None
    blank: bool = False
    flagged: bool = False
    fault: str | None = None

    def notebook(self, source: Path, release: Path, workdir: str = "", course_root: str = "") -> NotebookNode:
        """The submitted notebook, built from the release notebook (and the instructor's answers in
        ``source``); placeholders are replaced by ``workdir`` and ``course_root``."""
        notebook = notebooks.fill({} if self.blank else notebooks.source_answers(source), notebooks.read(release))
        values = dict(zip(PLACEHOLDERS, (workdir, course_root), strict=True))
        for edit in self.edits:
            text = edit.source
            for placeholder, value in values.items():
                text = text.replace(placeholder, value)
            _apply(notebook, edit, text)
        return notebook


def _apply(notebook: NotebookNode, edit: Edit, text: str) -> None:
    by_id = {notebooks.grade_id(cell): cell for cell in notebook.cells if notebooks.grade_id(cell)}
    if edit.action == "metadata":
        notebook.metadata.update(edit.metadata)
        return
    if edit.action == "append":
        cell = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}.get(
            edit.target, nbformat.v4.new_raw_cell
        )(text)
        cell.metadata.update(edit.metadata)
        notebook.cells.append(cell)
        return
    if edit.target not in by_id:
        raise KeyError(f"the release notebook has no cell {edit.target!r}")
    if edit.action == "delete":
        notebook.cells.remove(by_id[edit.target])
    else:
        by_id[edit.target].source = text


def _uncomment(lines: list[str]) -> list[str]:
    return [line[2:] if line.startswith("# ") else line.removeprefix("#") for line in lines]


def _edit(header: str, lines: list[str], cell_types: Mapping[str, str]) -> Edit:
    rest = header.removeprefix(MARKER).strip()
    words = rest.split(maxsplit=2)
    if not words:
        raise ValueError("a cell marker without a grade id")
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    if words[0] == "delete":
        return Edit("delete", words[1])
    if words[0] == "notebook-metadata":
        return Edit("metadata", "", metadata=json.loads(rest.removeprefix("notebook-metadata")))
    if words[0] == "append":
        kind = words[1]
        metadata = json.loads(words[2]) if len(words) > 2 else {}
        return Edit("append", kind, "\n".join(lines if kind == "code" else _uncomment(lines)), metadata)
    target = words[0]
    text = lines if cell_types.get(target, "code") == "code" else _uncomment(lines)
    return Edit("set", target, "\n".join(text))


def load(path: Path, cell_types: Mapping[str, str]) -> Sample:
    """The sample in ``path``; ``cell_types`` maps the release notebook's grade ids to cell types."""
    text = path.read_text()
    chunks: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if line.startswith(MARKER):
            chunks.append((line, []))
        else:
            chunks[-1][1].append(line)
    module = ast.parse("\n".join(chunks[0][1]), filename=str(path))
    expected: dict[str, Any] = {}
    for node in module.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["EXPECTED"]:
            expected = ast.literal_eval(node.value)
    unknown = set(expected) - {"scores", "mistake", "blank", "flagged", "fault"}
    if unknown:
        raise ValueError(f"{path}: unknown EXPECTED keys {sorted(unknown)}")
    return Sample(
        student=path.stem,
        description=(ast.get_docstring(module) or "").strip(),
        edits=tuple(_edit(header, lines, cell_types) for header, lines in chunks[1:]),
        scores={key: float(value) for key, value in expected.get("scores", {}).items()},
        mistake=expected.get("mistake"),
        blank=bool(expected.get("blank", False)),
        flagged=bool(expected.get("flagged", False)),
        fault=expected.get("fault"),
    )


def catalogue(folder: Path, release: Path) -> dict[str, Sample]:
    """Every sample in ``folder`` (not its subfolders), by student name."""
    cell_types = {notebooks.grade_id(cell): cell.cell_type for cell in notebooks.read(release).cells}
    return {path.stem: load(path, cell_types) for path in sorted(folder.glob("*.py")) if path.name != "__init__.py"}

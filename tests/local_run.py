"""An assignment's hidden checks run without a kernel: the notebook's code executed in this
process and its names seen the way the jailed bridge shows them to the checks (functions whose
contract dependencies are the reference ones while they run)."""

from __future__ import annotations

import contextlib
import io
import sys
import textwrap
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import Any
from unittest import mock

from nbformat import NotebookNode

from autograder.grading import notebooks
from autograder.grading.assignment import Assignment
from autograder.grading.verdict import CellResult


def run_cells(notebook: NotebookNode, selfcheck: ModuleType) -> dict:
    """The namespace of a notebook run without its test cells (going on after a failing cell, like nbgrader)."""
    namespace: dict = {}
    with mock.patch.dict(sys.modules, {"selfcheck": selfcheck}):
        for cell in notebook.cells:
            if cell.cell_type == "code" and not notebooks.is_test_cell(cell):
                with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
                    exec(cell.source, namespace)
    return namespace


def namespace(assignment: Assignment, selfcheck: ModuleType, **replacements: str) -> dict:
    """The namespace of the release notebook with the instructor's answers; keys are test cell
    grade ids, whose solution cell gets the given code instead."""
    replaced = {f"{key}_solution": textwrap.dedent(code) for key, code in replacements.items()}
    answers = {**notebooks.source_answers(assignment.source_notebook), **replaced}
    return run_cells(notebooks.fill(answers, notebooks.read(assignment.release_notebook)), selfcheck)


class LocalStudent(Mapping):
    """A notebook namespace as the checks see it, without a kernel: while a function runs, its
    dependencies are the reference ones (as the jailed kernel's stand-ins arrange)."""

    def __init__(self, namespace: dict, assignment: Assignment, own_helpers: bool = False) -> None:
        self.namespace, self.assignment, self.own_helpers = namespace, assignment, own_helpers

    def __getitem__(self, name: str) -> Any:
        value = self.namespace[name]
        if name not in self.assignment.functions or self.own_helpers:
            return value

        def call(*args: Any) -> Any:
            dependencies = self.assignment.dependencies.get(name, ())
            saved = {dep: self.namespace[dep] for dep in dependencies if dep in self.namespace}
            self.namespace.update({dep: getattr(self.assignment.reference, dep) for dep in dependencies})
            try:
                return value(*args)
            finally:
                self.namespace.update(saved)

        return call

    def __iter__(self) -> Iterator[str]:
        names = (*self.assignment.functions, *self.assignment.values)
        return (name for name in names if name in self.namespace)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def verdict(assignment: Assignment, namespace: dict, grade_id: str, seed: int = 0) -> CellResult:
    """One test cell's hidden check on a local namespace."""
    cell = assignment.by_grade_id[grade_id]
    return cell.run(LocalStudent(namespace, assignment, cell.own_helpers), seed)

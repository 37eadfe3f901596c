"""Every assignment's hidden inputs are drawn from the student's seed alone: the same seed meets the
same inputs in every check (regrading repeats a verdict word for word), and another seed meets
others. Checked in this process on the instructor's answers, with each call's arguments recorded,
so that a check drawing from a generator of its own fails here, not only in a slow regrading."""

from __future__ import annotations

import hashlib
import importlib
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from autograder import assignments
from tests import local_run

SEEDS = (3, 12039700252576884442)


def inputs_met(assignment_id: str, seed: int) -> dict[str, list[str]]:
    """The digests of the arguments each autograded cell's check passed to the student's functions."""
    assignment = assignments.load(assignment_id)
    selfcheck = importlib.import_module(f"autograder.assignments.{assignment_id}.public").selfcheck
    namespace = local_run.namespace(assignment, selfcheck)
    calls: list[str] = []

    def recording(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            calls.append(hashlib.sha256(pickle.dumps(args)).hexdigest())
            return function(*args)

        return call

    for name in assignment.functions:
        if callable(namespace.get(name)):
            namespace[name] = recording(namespace[name])
    met = {}
    for cell in assignment.autograded:
        calls.clear()
        local_run.verdict(assignment, namespace, cell.grade_id, seed)
        met[cell.grade_id] = list(calls)
    return met


@pytest.mark.parametrize("assignment_id", assignments.available())
def test_the_same_seed_meets_the_same_hidden_inputs_and_another_seed_others(assignment_id: str) -> None:
    first, again = inputs_met(assignment_id, SEEDS[0]), inputs_met(assignment_id, SEEDS[0])
    assert first == again
    other = inputs_met(assignment_id, SEEDS[1])
    varied = [grade_id for grade_id in first if first[grade_id] != other[grade_id]]
    assert varied, "no check's hidden inputs depend on the seed"
    assert sum(map(len, first.values())) > len(first)  # the checks did call the functions

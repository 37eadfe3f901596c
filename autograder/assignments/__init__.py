"""The course's assignments: one subpackage per assignment id, each declaring ``ASSIGNMENT``.

The engine finds an assignment by its id, the way nbgrader passes it
(``resources["nbgrader"]["assignment"]``), and never imports one by name.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from autograder.grading.assignment import Assignment, AssignmentError


def available() -> list[str]:
    """The ids of the assignments whose hidden side is in this course."""
    return sorted(module.name for module in pkgutil.iter_modules(__path__) if module.ispkg)


@functools.cache
def load(assignment_id: str) -> Assignment:
    """The assignment with this id; AssignmentError names the ones there are when it is unknown."""
    if assignment_id not in available():
        raise AssignmentError(f"no assignment {assignment_id!r} in this course; there are: {', '.join(available())}")
    return importlib.import_module(f"{__name__}.{assignment_id}").ASSIGNMENT


def resolve(assignment_id: str | None) -> Assignment:
    """The assignment asked for, or the course's only one when none is named."""
    if assignment_id is not None:
        return load(assignment_id)
    ids = available()
    if len(ids) != 1:
        raise AssignmentError(f"this course has several assignments ({', '.join(ids)}): name one with --assignment")
    return load(ids[0])

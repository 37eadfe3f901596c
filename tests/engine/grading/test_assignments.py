"""Unit tests of the course's assignment registry (:mod:`autograder.assignments`): listing, loading by
id, the error that names the available ids, and resolving an omitted id."""

from __future__ import annotations

import pytest

from autograder import assignments
from autograder.grading.assignment import Assignment, AssignmentError


def test_available_lists_sheet12() -> None:
    ids = assignments.available()
    assert "sheet12" in ids
    assert ids == sorted(ids)


def test_load_returns_the_declared_assignment_once() -> None:
    sheet12 = assignments.load("sheet12")
    assert isinstance(sheet12, Assignment)
    assert sheet12.id == "sheet12"
    assert assignments.load("sheet12") is sheet12


@pytest.mark.parametrize("name", ["nope", "", "Sheet12", "sheet12.checks", "../sheet12"])
def test_load_of_an_unknown_id_names_the_available_ones(name: str) -> None:
    with pytest.raises(AssignmentError) as raised:
        assignments.load(name)
    there = ", ".join(assignments.available())
    assert str(raised.value) == f"no assignment {name!r} in this course; there are: {there}"


def test_resolve_a_named_assignment() -> None:
    assert assignments.resolve("sheet12") is assignments.load("sheet12")
    with pytest.raises(AssignmentError, match=r"^no assignment 'nope' in this course"):
        assignments.resolve("nope")


def test_resolve_without_an_id() -> None:
    ids = assignments.available()
    if len(ids) == 1:
        assert assignments.resolve(None) is assignments.load(ids[0])
    else:
        with pytest.raises(AssignmentError) as raised:
            assignments.resolve(None)
        assert str(raised.value) == (
            f"this course has several assignments ({', '.join(ids)}): name one with --assignment"
        )


def test_resolve_without_an_id_in_a_course_of_several(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assignments, "available", lambda: ["sheet12", "sheet13"])
    with pytest.raises(AssignmentError) as raised:
        assignments.resolve(None)
    assert str(raised.value) == "this course has several assignments (sheet12, sheet13): name one with --assignment"


def test_resolve_without_an_id_in_a_course_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assignments, "available", lambda: ["sheet12"])
    assert assignments.resolve(None) is assignments.load("sheet12")

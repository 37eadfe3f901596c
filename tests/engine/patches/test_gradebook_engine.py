"""Unit tests of sharing one engine per kept gradebook (:mod:`autograder.patches.gradebook_engine`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from nbgrader.api import Gradebook

from autograder import course
from autograder.patches import gradebook_engine


@pytest.fixture
def urls(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two gradebooks' URLs; whatever a test keeps is released after it."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    yield course.gradebook_url(tmp_path / "a"), course.gradebook_url(tmp_path / "b")
    gradebook_engine.release()


def engine_of(url: str) -> object:
    with Gradebook(url) as gradebook:
        return gradebook.engine


def test_without_keep_every_gradebook_has_an_engine_of_its_own(urls: tuple[str, str]) -> None:
    kept, _ = urls
    assert engine_of(kept) is not engine_of(kept)


def test_the_gradebooks_of_a_kept_database_share_one_engine_and_others_do_not(urls: tuple[str, str]) -> None:
    kept, other = urls
    gradebook_engine.keep(kept)
    assert engine_of(kept) is engine_of(kept)
    assert engine_of(other) is not engine_of(other)


def test_what_one_gradebook_writes_the_next_reads_through_the_shared_engine(urls: tuple[str, str]) -> None:
    kept, _ = urls
    gradebook_engine.keep(kept)
    with Gradebook(kept) as gradebook:
        gradebook.update_or_create_student("alice", last_name="Liddell")
    with Gradebook(kept) as gradebook:
        assert gradebook.find_student("alice").last_name == "Liddell"


def test_a_released_database_gets_new_engines_again(urls: tuple[str, str]) -> None:
    kept, _ = urls
    gradebook_engine.keep(kept)
    shared = engine_of(kept)
    gradebook_engine.release(kept)
    assert engine_of(kept) is not shared
    assert engine_of(kept) is not engine_of(kept)


def synchronous(url: str) -> int:
    """SQLite's ``synchronous`` setting of a gradebook's connection: 0 OFF, 2 FULL (the default)."""
    with Gradebook(url) as gradebook:
        return gradebook.db.execute(sqlalchemy.text("PRAGMA synchronous")).scalar()


def test_only_a_scratch_gradebook_commits_without_waiting_for_the_disk(urls: tuple[str, str]) -> None:
    scratch, durable = urls
    gradebook_engine.keep(scratch, scratch=True)
    gradebook_engine.keep(durable)
    with Gradebook(scratch) as gradebook:
        gradebook.update_or_create_student("alice", last_name="Liddell")
    assert (synchronous(scratch), synchronous(durable)) == (0, 2)
    with Gradebook(scratch) as gradebook:
        assert gradebook.find_student("alice").last_name == "Liddell"
    gradebook_engine.release(scratch)
    gradebook_engine.keep(scratch)
    assert synchronous(scratch) == 2

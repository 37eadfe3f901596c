"""Unit tests of grading records (:mod:`autograder.grading.records`): where they are kept, a save/load round
trip, a missing record, and the records folder next to an SQLite gradebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.grading import records
from autograder.grading.records import CellRecord, GradingRecord


def a_record() -> GradingRecord:
    return GradingRecord(
        student="alice",
        assignment="sheet12",
        seed=2**63 + 5,
        cells={
            "q1": CellRecord(1.5, 2.0, ["dW1 is transposed", "✗ ünïcode"], ["transposed_dW1"], True, False),
            "q2": CellRecord(3.0, 3.0, [], [], None, True),
        },
        faults=["timeout: cell 4 ran longer than 60 s"],
        flags=["q1: the self-check passed in the student's kernel (tampering?)"],
    )


def test_record_path() -> None:
    assert records.record_path(Path("/r"), "sheet12", "alice") == Path("/r/sheet12/alice.json")
    assert records.record_path(Path("/r"), "sheet12", "alice", ".sha256") == Path("/r/sheet12/alice.sha256")
    assert a_record().path(Path("/r")) == Path("/r/sheet12/alice.json")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    record = a_record()
    path = record.save(tmp_path / "grading_records")
    assert path == tmp_path / "grading_records" / "sheet12" / "alice.json"
    loaded = records.load(tmp_path / "grading_records", "sheet12", "alice")
    assert loaded == record
    assert type(loaded.cells["q1"]) is CellRecord
    assert loaded.cells["q2"].in_kernel_passed is None
    assert loaded.seed == 2**63 + 5


def test_the_saved_file_is_plain_json(tmp_path: Path) -> None:
    path = a_record().save(tmp_path)
    data = json.loads(path.read_text())
    assert data["cells"]["q2"] == {
        "points": 3.0,
        "max_points": 3.0,
        "problems": [],
        "mistakes": [],
        "in_kernel_passed": None,
        "public_passed": True,
    }
    assert (data["student"], data["assignment"], data["faults"]) == ("alice", "sheet12", a_record().faults)


def test_saving_again_replaces_the_record(tmp_path: Path) -> None:
    a_record().save(tmp_path)
    GradingRecord("alice", "sheet12", 7).save(tmp_path)
    assert records.load(tmp_path, "sheet12", "alice") == GradingRecord("alice", "sheet12", 7, {}, [], [])


def test_records_of_other_students_and_assignments_are_apart(tmp_path: Path) -> None:
    GradingRecord("alice", "sheet12", 1).save(tmp_path)
    GradingRecord("alice", "sheet13", 2).save(tmp_path)
    GradingRecord("bob", "sheet12", 3).save(tmp_path)
    assert [
        records.load(tmp_path, a, s).seed for a, s in [("sheet12", "alice"), ("sheet13", "alice"), ("sheet12", "bob")]
    ] == [1, 2, 3]


def test_load_of_a_missing_record_is_none(tmp_path: Path) -> None:
    assert records.load(tmp_path, "sheet12", "alice") is None
    assert records.load(tmp_path / "absent", "sheet12", "alice") is None
    GradingRecord("bob", "sheet12", 1).save(tmp_path)
    assert records.load(tmp_path, "sheet12", "alice") is None


def test_records_dir_next_to_an_sqlite_gradebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert records.records_dir_for("sqlite:////x/y/gradebook.db") == Path("/x/y/grading_records")
    monkeypatch.chdir(tmp_path)
    assert records.records_dir_for("sqlite:///gradebook.db") == tmp_path.resolve() / "grading_records"

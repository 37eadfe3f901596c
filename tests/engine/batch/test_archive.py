"""Odd zip entries cost only themselves (:mod:`autograder.batch.archive`, through
:func:`autograder.batch.submissions.find`): over-long and control-character names, duplicate names, a
file and a folder of one name, a bad CRC, an encrypted entry and an unsupported compression, one by
one with their exact outcome and thrown together at random (Hypothesis)."""

from __future__ import annotations

import struct
import warnings
import zipfile
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.batch import archive, submissions
from autograder.batch.submissions import Rejection
from tests.engine.conftest import Find

pytestmark = pytest.mark.usefixtures("unzipped")

NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook())
LONG = "ü" * 125 + ".ipynb"  # 256 bytes: one more than a file name may have
DUPLICATE = "a second file of this name in the zip (the first one is graded); check the download"
CLASH = "a file and a folder of one name in the zip; unzip it yourself and rename one of them"
ENCRYPTED = "encrypted in the zip (it needs a password); ask for it without one, or unzip it yourself"
UNSUPPORTED = (
    "compressed in a way that cannot be read here (That compression method is not supported); unzip it yourself"
    " and pass the folder"
)
BAD_CRC = "damaged in the zip (Bad CRC-32 for file 'eve.ipynb'); download the submissions again"


def patch_entry(path: Path, name: str, *, flags: int | None = None, method: int | None = None) -> None:
    """Set the general-purpose flags or the compression method of entry ``name`` in both of its
    headers (the local one and the central directory's), as another zip tool might write them."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as opened:
        local = opened.getinfo(name).header_offset
    central = data.index(b"PK\x01\x02")  # the first central directory entry
    while data[central + 46 : central + 46 + len(name.encode())] != name.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    for offset, field in ((local + 6, flags), (local + 8, method), (central + 8, flags), (central + 10, method)):
        if field is not None:
            data[offset : offset + 2] = struct.pack("<H", field)
    path.write_bytes(bytes(data))


def corrupt_data(path: Path, name: str) -> None:
    """Flip a byte of entry ``name``'s stored data (its CRC no longer matches)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as opened:
        info = opened.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10] ^= 0xFF
    path.write_bytes(bytes(data))


def write_zip(path: Path, entries: list[tuple[str, str]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zipped, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name": wanted here
        for name, content in entries:
            zipped.writestr(zipfile.ZipInfo(name, (2026, 12, 1, 10, 0, 0)), content)
    return path


def test_odd_entries_cost_only_themselves_each_with_its_reason(tmp_path: Path, find: Find, unzipped: Path) -> None:
    zipped = write_zip(
        tmp_path / "download.zip",
        [
            ("alice.ipynb", NOTEBOOK),
            (f"Jane Doe_1001_assignsubmission_file/{LONG}", NOTEBOOK),
            (f"Jim Beam_1002_assignsubmission_file_{LONG}", NOTEBOOK),
            ("Bob\x1b[2J Ray_1003_assignsubmission_file/sheet12.ipynb", NOTEBOOK),
            ("carl.ipynb", NOTEBOOK),
            ("carl.ipynb", "a second carl.ipynb"),
            ("dora.ipynb", NOTEBOOK),
            ("dora.ipynb/inside.ipynb", NOTEBOOK),
            ("eve.ipynb", NOTEBOOK),
            ("fay.ipynb", NOTEBOOK),
            ("gus.ipynb", NOTEBOOK),
        ],
    )
    corrupt_data(zipped, "eve.ipynb")
    patch_entry(zipped, "fay.ipynb", flags=0x1)
    patch_entry(zipped, "gus.ipynb", method=9)  # Deflate64, which zipfile cannot read
    found = find(zipped)
    assert sorted(found.notebooks) == ["alice", "carl", "dora", "moodle-1001", "moodle-1002", "moodle-1003"]
    assert found.names == {"moodle-1001": "Jane Doe", "moodle-1002": "Jim Beam", "moodle-1003": "Bob2J Ray"}
    assert found.rejected == [
        Rejection(zipped / "carl.ipynb", DUPLICATE),
        Rejection(zipped / "dora.ipynb/inside.ipynb", CLASH),
        Rejection(zipped / "eve.ipynb", BAD_CRC),
        Rejection(zipped / "fay.ipynb", ENCRYPTED),
        Rejection(zipped / "gus.ipynb", UNSUPPORTED),
    ]
    assert list(unzipped.iterdir()) == []  # no partly written file left either


def test_an_over_long_name_is_shortened_to_fit_keeping_its_start_and_extension() -> None:
    fitted = archive.fit(LONG)
    assert len(fitted.encode()) == 255 and fitted.endswith(".ipynb") and fitted.startswith("ü" * 100)
    assert archive.fit("ü" * 126 + ".ipynb") != fitted  # two long names stay apart
    assert archive.fit("sheet12.ipynb") == "sheet12.ipynb"
    assert archive.parts("../a/./b//c") == ("a", "b", "c")


def test_a_rejection_prints_control_characters_as_escapes() -> None:
    rejection = Rejection(Path("down.zip/Bob\x1b[2J\u202e.ipynb"), "why")
    assert str(rejection) == "down.zip/Bob\\x1b[2J\\u202e.ipynb: why"


def test_a_zip_that_cannot_be_read_at_all_is_refused_with_what_to_do(tmp_path: Path, find: Find) -> None:
    zipped = write_zip(tmp_path / "download.zip", [("alice.ipynb", NOTEBOOK)])
    data = zipped.read_bytes()
    zipped.write_bytes(data.replace(b"PK\x01\x02", b"PK\x01\x09", 1))  # a broken central directory
    with pytest.raises(NotADirectoryError) as raised:
        find(zipped)
    assert str(raised.value).startswith(f"{zipped}: ")


NAMES = st.sampled_from(
    [
        "x.ipynb", "x.ipynb/y.ipynb", "x.ipynb/", LONG, "ü" * 200 + "/" + LONG, "a\x01b.ipynb", "a\nb.ipynb",
        "../../up.ipynb", "./.hidden.ipynb", "Jane Doe_1001_assignsubmission_file/" + LONG,
        "Jane Doe_1001_assignsubmission_file", "Jane Doe_1001_assignsubmission_file/", "notes.txt", "\u202eevil.ipynb",
        "dir/", "dir", "dir/inner.ipynb", "sheet12.ipynb",
    ]
)  # fmt: skip
DEFECTS = st.sampled_from(["none", "crc", "encrypted", "method"])


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(NAMES, DEFECTS), max_size=8))
def test_whatever_the_zip_holds_the_good_student_is_graded_and_nothing_is_left(
    tmp_path_factory: pytest.TempPathFactory, unzipped: Path, entries: list[tuple[str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    names = [f"odd/{name}" if not name.startswith("..") else name for name, _ in entries]
    zipped = write_zip(folder / "download.zip", [("good.ipynb", NOTEBOOK), *((name, NOTEBOOK) for name in names)])
    for (_, defect), stored in zip(entries, names, strict=True):
        if defect == "crc" and not stored.endswith("/"):
            corrupt_data(zipped, stored)
        elif defect == "encrypted":
            patch_entry(zipped, stored, flags=0x1)
        elif defect == "method":
            patch_entry(zipped, stored, method=9)
    spooled = folder / "spooled"
    spooled.mkdir()
    found = submissions.find(zipped, "sheet12", spooled)
    assert "good" in found.notebooks
    for rejection in found.rejected:
        assert "; " in rejection.reason and str(rejection).isprintable()
    assert sorted(path.name for path in folder.iterdir()) == ["download.zip", "spooled"]
    assert list(unzipped.iterdir()) == []

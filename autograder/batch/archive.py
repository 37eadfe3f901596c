"""Extracting a zip of submissions entry by entry, so that one odd entry costs only itself.

An LMS's "download all submissions" is a zip whose entry names come from students (the LMS adds
its own prefix to each uploaded file's name). ``zipfile.extractall`` stops at the first entry it
cannot write, and it would take the whole class with it. Here each entry is extracted on its own:

* a name part longer than the file system allows (255 bytes; a name of non-ASCII letters takes
  two or more bytes each) is shortened, keeping its start (the LMS's prefix with the student's
  id) and its extension, with 8 hex digits of its hash so that two long names stay apart;
* ``..``, ``.`` and empty parts are dropped (as zipfile does), so nothing lands outside the target;
* an entry that cannot be extracted (encrypted, compressed with a method Python cannot read,
  damaged, a second entry of one name, a file and a folder of one name) is left out with the
  reason and what to do, and whatever it had partly written is removed.

Bounds on the whole archive (entries, unzipped bytes) are checked before anything is extracted.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MAX_UNZIPPED_BYTES = 2 * 1024**3
#: The most files a zip archive may hold (a class's download holds a few per student).
MAX_ZIP_ENTRIES = 100_000
#: The longest file or folder name (bytes of UTF-8) that Linux file systems take.
MAX_NAME_BYTES = 255
#: ``errno`` values of a file and a folder of one name.
CLASHES = frozenset({errno.EEXIST, errno.ENOTDIR, errno.EISDIR})


class ArchiveTooLarge(NotADirectoryError):
    """A zip past one of the bounds, refused before anything is extracted."""


@dataclass(frozen=True)
class Skipped:
    """An entry of the archive that was not extracted, and what to do about it."""

    name: str
    reason: str


def fit(part: str) -> str:
    """A file or folder name of at most MAX_NAME_BYTES bytes: ``part`` itself when it fits, else
    its start, ``~`` and 8 hex digits of its hash, and its extension."""
    if len(part.encode()) <= MAX_NAME_BYTES:
        return part
    stem, dot, suffix = part.rpartition(".")
    extension = f".{suffix}" if dot and stem and len(suffix.encode()) <= 16 else ""
    tag = "~" + hashlib.sha256(part.encode()).hexdigest()[:8]
    room = MAX_NAME_BYTES - len(tag.encode()) - len(extension.encode())
    start = part.encode()[:room].decode(errors="ignore")  # not in the middle of a character
    return start + tag + extension


def parts(name: str) -> tuple[str, ...]:
    """Where an entry goes below the target: its name's parts without ``..``, ``.`` or empty ones,
    each fitted to the file system."""
    return tuple(fit(part) for part in name.replace("\\", "/").split("/") if part not in ("", ".", ".."))


def _why_unreadable(error: BaseException) -> str:
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return "encrypted in the zip (it needs a password); ask for it without one, or unzip it yourself"
    if isinstance(error, NotImplementedError):
        return f"compressed in a way that cannot be read here ({error}); unzip it yourself and pass the folder"
    if isinstance(error, OSError) and error.errno in CLASHES:
        return "a file and a folder of one name in the zip; unzip it yourself and rename one of them"
    if isinstance(error, OSError):
        return f"cannot be written here ({error.strerror or error}); unzip it yourself and pass the folder"
    return f"damaged in the zip ({str(error)[:80] or type(error).__name__}); download the submissions again"


def _extract(opened: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    destination = target.joinpath(*parts(member.filename))
    if member.is_dir():
        destination.mkdir(parents=True, exist_ok=True)
        if not destination.is_dir():
            raise FileExistsError(errno.EEXIST, "a file of this name exists")
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        with opened.open(member) as source, open(destination, "xb") as written:
            shutil.copyfileobj(source, written)
    except BaseException:
        if destination.is_file() and not destination.is_symlink():
            destination.unlink()  # what was written of a damaged entry
        raise
    stamp = time.mktime((*member.date_time, 0, 0, -1))  # the upload's date: the newest of a student's is graded
    os.utime(destination, (stamp, stamp))


def extract(archive: Path, target: Path) -> list[Skipped]:
    """Extract ``archive`` into the folder ``target``; the entries left out, with why. Raises
    :class:`ArchiveTooLarge` (nothing extracted) past a bound, ``zipfile.BadZipFile`` when the
    archive itself cannot be read."""
    with zipfile.ZipFile(archive) as opened:
        members = opened.infolist()
        if len(members) > MAX_ZIP_ENTRIES:
            raise ArchiveTooLarge(
                f"{archive}: holds more than {MAX_ZIP_ENTRIES} files; unzip it yourself and pass the folder"
            )
        if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
            raise ArchiveTooLarge(
                f"{archive}: unzips to more than {MAX_UNZIPPED_BYTES} bytes; unzip it yourself and pass the folder"
            )
        skipped, files = [], set()
        for member in members:
            where = parts(member.filename)
            if not where:
                continue
            if not member.is_dir() and where in files:
                reason = "a second file of this name in the zip (the first one is graded); check the download"
                skipped.append(Skipped(member.filename, reason))
                continue
            try:
                _extract(opened, member, target)
            except (OSError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError) as error:
                skipped.append(Skipped(member.filename, _why_unreadable(error)))
                continue
            files.add(where)
    return skipped

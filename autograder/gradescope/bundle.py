"""``python -m autograder gradescope bundle``: the zip to upload as a Gradescope autograder.

At the top of the zip: ``setup.sh`` and ``run_autograder`` (this package's files), and the
course as Gradescope will find it in ``/autograder/source``: ``nbgrader_config.py``,
``requirements.txt``, ``source/`` and the ``autograder`` package. Never ``release/`` or
``solutions/`` (not needed), the gradebook or anyone's submissions.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from autograder.notebooks import COURSE_ROOT

HERE = Path(__file__).resolve().parent
#: Course files and folders the grader needs, relative to the course root.
COURSE_PARTS = ("nbgrader_config.py", "requirements.txt", "source", "autograder")
SKIPPED = {"__pycache__", ".ipynb_checkpoints"}


def _files(root: Path, part: str) -> Iterator[Path]:
    path = root / part
    if path.is_file():
        yield path
        return
    for item in sorted(path.rglob("*")):
        if item.is_file() and not SKIPPED.intersection(item.relative_to(root).parts) and item.suffix != ".pyc":
            yield item


def build_bundle(target: Path, root: Path = COURSE_ROOT) -> Path:
    """Write the autograder zip for the course at ``root`` to ``target``; return ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for script in ("setup.sh", "run_autograder"):
            info = zipfile.ZipInfo(script)
            info.external_attr = 0o100755 << 16  # executable, as Gradescope runs it directly
            bundle.writestr(info, (HERE / script).read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        for part in COURSE_PARTS:
            for path in _files(root, part):
                bundle.write(path, path.relative_to(root).as_posix())
    return target

"""``python -m autograder gradescope bundle --assignment ID``: the zip to upload as a Gradescope autograder.

At the top of the zip: ``setup.sh`` and ``run_autograder`` (this package's files), and the
course as Gradescope will find it in ``/autograder/source``: ``nbgrader_config.py``,
``requirements.txt``, the chosen assignment's ``source/<id>/`` and the ``autograder`` package
with only that assignment's hidden side. Never ``release/`` or ``solutions/`` (not needed),
another assignment, the gradebook or anyone's submissions.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from autograder.grading.notebooks import COURSE_ROOT

HERE = Path(__file__).resolve().parent
SKIPPED = {"__pycache__", ".ipynb_checkpoints"}
ASSIGNMENTS = Path("autograder", "assignments")


def _course_parts(assignment: str) -> tuple[str, ...]:
    """Course files and folders the grader of ``assignment`` needs, relative to the course root."""
    return ("nbgrader_config.py", "requirements.txt", f"source/{assignment}", "autograder")


def _files(root: Path, part: str, assignment: str) -> Iterator[Path]:
    path = root / part
    if path.is_file():
        yield path
        return
    for item in sorted(path.rglob("*")):
        relative = item.relative_to(root)
        other_assignment = relative.parts[:2] == ASSIGNMENTS.parts and len(relative.parts) > 3
        if other_assignment and relative.parts[2] != assignment:
            continue
        if item.is_file() and not SKIPPED.intersection(relative.parts) and item.suffix != ".pyc":
            yield item


def build_bundle(target: Path, assignment: str, root: Path = COURSE_ROOT) -> Path:
    """Write the autograder zip of one assignment of the course at ``root`` to ``target``; return ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for script in ("setup.sh", "run_autograder"):
            info = zipfile.ZipInfo(script)
            info.external_attr = 0o100755 << 16  # executable, as Gradescope runs it directly
            bundle.writestr(info, (HERE / script).read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        for part in _course_parts(assignment):
            for path in _files(root, part, assignment):
                bundle.write(path, path.relative_to(root).as_posix())
    return target

"""The build: release/ and solutions/ (and the self-check kit's copies) are generated, never stale."""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder import assignments, build
from autograder.notebooks import COURSE_ROOT
from autograder.public import KIT_MODULE


def _tree(root: Path) -> dict[str, object]:
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = str(path.relative_to(root))
        files[relative] = nbformat.read(path, as_version=4) if path.suffix == ".ipynb" else path.read_text()
    return files


def test_release_and_solutions_are_up_to_date_with_source(course_copy: Path) -> None:
    for generated in ("release", "solutions"):
        for path in (course_copy / generated).rglob("*"):
            if path.is_file():
                path.unlink()
    for assignment in assignments.available():
        (course_copy / "source" / assignment / f"{KIT_MODULE}.py").unlink()
        build.build(assignment, course_copy)
    for generated in ("release", "solutions", "source"):
        assert _tree(course_copy / generated) == _tree(COURSE_ROOT / generated), (
            f"{generated}/ is stale: run `python -m autograder build` and commit the result"
        )

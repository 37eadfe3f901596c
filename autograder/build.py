"""``python -m autograder build``: regenerate release/ and solutions/ from source/ with nbgrader."""

from __future__ import annotations

from pathlib import Path

from autograder import course
from autograder.notebooks import COURSE_ROOT


def build(root: Path = COURSE_ROOT) -> list[Path]:
    """Run generate_assignment and generate_solution on the course at ``root``; return the outputs."""
    api = course.api_for(root)
    course.generate_assignment(api)
    course.generate_solution(api)
    return [root / "release" / "sheet12", root / "solutions" / "sheet12"]

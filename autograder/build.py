"""``python -m autograder build [ID]``: regenerate release/ and solutions/ from source/ with nbgrader."""

from __future__ import annotations

from pathlib import Path

from autograder import course
from autograder.notebooks import COURSE_ROOT


def build(assignment: str, root: Path = COURSE_ROOT) -> list[Path]:
    """Run generate_assignment and generate_solution for one assignment of the course at ``root``;
    return the folders written."""
    api = course.api_for(root)
    course.generate_assignment(api, assignment)
    course.generate_solution(api, assignment)
    return [root / "release" / assignment, root / "solutions" / assignment]

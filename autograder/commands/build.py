"""``python -m autograder build [ID]``: regenerate release/ and solutions/ from source/ with nbgrader.

nbgrader generates the students' notebook and the solutions from the instructor's; then the
generated support files (the self-check kit's copy and the public cases' expected values, see
:mod:`autograder.grading.support_files`) are written next to the ``selfcheck.py`` nbgrader copied.
"""

from __future__ import annotations

from pathlib import Path

from autograder import course
from autograder.grading import support_files
from autograder.grading.notebooks import COURSE_ROOT


def build(assignment: str, root: Path = COURSE_ROOT) -> list[Path]:
    """Run generate_assignment and generate_solution for one assignment of the course at ``root``
    and write the generated support files into both; return the folders written."""
    api = course.api_for(root)
    course.generate_assignment(api, assignment)
    course.generate_solution(api, assignment)
    folders = [root / "release" / assignment, root / "solutions" / assignment]
    for folder in folders:
        support_files.write(assignment, folder)
    return folders

"""The grader's own file names and lines of code, which no text a student sees may hold.

Students see verdicts (in the formgrader, the feedback page and Gradescope's results); those say
what the student's code did, with the student's own lines, and never a line or a file of the
grader. The self-check kit is not the grader's: students have it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from autograder.grading import notebooks
from autograder.grading.notebooks import COURSE_ROOT

#: Names that only the grader's code uses (its files and the bridge's internals).
NAMES = ("autograder/", "trusted.py", "bridge.py", "kernel_side", "stand_ins.py", "in _answer", "StudentError")


@functools.cache
def grader_lines() -> frozenset[str]:
    """The grader's lines of code (not comments, not strings alone), at least 24 characters long."""
    lines = set()
    for path in (COURSE_ROOT / "autograder").rglob("*.py"):
        if path.name == "selfcheck_kit.py" or "samples" in path.parts:
            continue
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if len(stripped) >= 24 and not re.match(r"""^(#|[rfb]?["']|\)|\]|\})""", stripped):
                lines.add(stripped)
    return frozenset(lines)


def found_in(text: str, notebook: Path | None = None) -> list[str]:
    """The grader's names and lines of code that ``text`` holds (lines that the student's own
    ``notebook`` holds too, such as a solution written like the reference, are the student's)."""
    own = "\n".join(cell.source for cell in notebooks.read(notebook).cells) if notebook is not None else ""
    names = [name for name in NAMES if name in text and name not in own]
    return names + [line for line in grader_lines() if line in text and line not in own]

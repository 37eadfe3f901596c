"""The README's "Adding an assignment", walked through in a copy of the course.

The commands are taken from the README itself, word for word: ``new`` writes a one-function
assignment (whose declaration is the one the README shows), ``build``, ``check`` and ``grade``
work on it at once, and a sample with a wrong ``EXPECTED`` fails ``check``. No engine file may
need a change.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from autograder.grading.notebooks import COURSE_ROOT

README = (COURSE_ROOT / "README.md").read_text()
SECTION = README.split("## Adding an assignment", 1)[1].split("\n## ", 1)[0]


def block(language: str, first_line: str = "") -> str:
    """The README section's fenced block in ``language`` that starts with ``first_line``."""
    for _, body in re.findall(rf"^( *)```{language}\n(.*?)^\1```", SECTION, flags=re.DOTALL | re.MULTILINE):
        body = textwrap.dedent(body)
        if body.startswith(first_line):
            return body
    raise AssertionError(f"the README's 'Adding an assignment' has no {language} block starting {first_line!r}")


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def command(course: Path, line: str, *extra: str) -> subprocess.CompletedProcess:
    """A README command line (``.venv/bin/python -m autograder ...``) with this Python, in ``course``."""
    return subprocess.run(
        [sys.executable, *line.split()[1:], *extra], cwd=course, capture_output=True, text=True, timeout=900
    )


def test_adding_an_assignment_as_the_readme_says(course_copy: Path) -> None:
    engine_before = tree_digest(course_copy / "autograder")
    outputs = []
    for line in block("bash").strip().splitlines():
        done = command(course_copy, line, *(["--workdir", str(course_copy / "graded")] if " grade " in line else []))
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        outputs.append(done.stdout)
    hidden = course_copy / "autograder" / "assignments" / "tiny"
    declaration = block("python", "# autograder/assignments/tiny/__init__.py").split("\n", 1)[1]
    assert (hidden / "__init__.py").read_text() == declaration  # the README shows what `new` writes
    assert (course_copy / "release" / "tiny" / "tiny.ipynb").is_file()
    assert "BEGIN SOLUTION" not in (course_copy / "release" / "tiny" / "tiny.ipynb").read_text()
    assert (course_copy / "release" / "tiny" / "selfcheck_kit.py").is_file()
    assert "3 of 3 samples as their EXPECTED says" in outputs[2]
    table = outputs[-1]
    totals = {
        words[0]: words[2]
        for words in map(str.split, table.splitlines())
        if words[:1] in (["correct"], ["blank"], ["identity"])
    }
    assert totals == {"correct": "2", "blank": "0", "identity": "0"}, table
    assert "[identity]" in (course_copy / "graded" / "feedback" / "identity" / "tiny" / "tiny.html").read_text()

    identity = hidden / "samples" / "identity.py"  # a deliberately wrong EXPECTED fails the check
    identity.write_text(identity.read_text().replace('"tiny_double": 0.0', '"tiny_double": 2.0'))
    checked = command(course_copy, block("bash").strip().splitlines()[2])
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "identity: DIFFERS\n  tiny_double: 0 points, EXPECTED 2\n" in checked.stdout
    assert "2 of 3 samples as their EXPECTED says" in checked.stdout
    assert not list(Path(tempfile.gettempdir()).glob("tiny-samples-*"))  # the check's scratch course is gone

    hidden.rename(course_copy / "tiny-hidden-side")  # all the instructor added under autograder/
    assert tree_digest(course_copy / "autograder") == engine_before, "adding an assignment changed an engine file"


def test_a_new_assignment_refuses_a_taken_or_unfit_id(course_copy: Path) -> None:
    for name, message in [("sheet12", "exists already"), ("Sheet-13", "is not an assignment id")]:
        done = command(course_copy, f".venv/bin/python -m autograder new {name}")
        assert done.returncode == 2 and message in done.stderr, done.stderr

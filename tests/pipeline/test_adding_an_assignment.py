"""The README's "Adding an assignment", walked through in a copy of the course.

The declaration and the commands are taken from the README itself; the notebook, the public
self-check, the reference, the checks and the samples are what an instructor would write for
a one-function assignment. No engine file may need a change.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

from autograder.notebooks import COURSE_ROOT

README = (COURSE_ROOT / "README.md").read_text()
SECTION = README.split("## Adding an assignment", 1)[1].split("\n## ", 1)[0]


def block(language: str, first_line: str = "") -> str:
    """The README section's fenced block in ``language`` that starts with ``first_line``."""
    for _, body in re.findall(rf"^( *)```{language}\n(.*?)^\1```", SECTION, flags=re.DOTALL | re.MULTILINE):
        body = textwrap.dedent(body)
        if body.startswith(first_line):
            return body
    raise AssertionError(f"the README's 'Adding an assignment' has no {language} block starting {first_line!r}")


def cell(kind: str, source: str, grade_id: str, **nbgrader: object) -> nbformat.NotebookNode:
    new = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    made = new(textwrap.dedent(source).strip("\n"))
    made.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "solution": False, "grade": False,
                                 "locked": False, **nbgrader}  # fmt: skip
    return made


def instructor_notebook() -> nbformat.NotebookNode:
    """What the instructor makes with nbgrader's Create Assignment toolbar."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        cell("markdown", "# Tiny\nWrite `double(x)`, which returns `2 * x`.", "tiny_text", locked=True),
        cell("code", "from selfcheck import check_double", "tiny_imports", locked=True),
        cell("code", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
             "tiny_double_solution", solution=True),
        cell("code", block("python", "check_double(double)"), "tiny_double", grade=True, locked=True, points=2),
        cell("markdown", "Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION", "tiny_why",
             grade=True, solution=True, points=1),
    ]  # fmt: skip
    return notebook


SELFCHECK = '''
"""Self-check of the tiny assignment."""
from selfcheck_kit import Checker, call, report

check = Checker({"identity": "x itself was returned; double it"})


def double_case(fn, x, where):
    value, problems = call("double", fn, x)
    return problems or check.compare_scalar(f"double({x}) {where}", value, 2 * x, {"identity": x})


def check_double(fn):
    report("double", double_case(fn, 3.0, "on the example"), "on the example")
'''
REFERENCE = "def double(x):\n    return 2 * x\n"
CHECKS = """
from autograder.assignments.tiny.public import selfcheck
from autograder.selfcheck_kit import expected_values_withheld
from autograder.verdict import Verdict


def check_double(student, rng):
    fn = student.get("double")
    if fn is None:
        return Verdict(0.0, (selfcheck.Problem("double is not defined"),), public_passed=False)
    problems = selfcheck.double_case(fn, 3.0, "on the example")
    if problems:
        return Verdict(0.0, tuple(problems), public_passed=False)
    with expected_values_withheld():
        problems = selfcheck.double_case(fn, float(rng.normal()), "on a hidden input")
    return Verdict(0.0 if problems else 1.0, tuple(problems))
"""
SAMPLES = {
    "correct.py": '"""The instructor\'s answers."""\n',
    "blank.py": '"""Nothing done."""\n\nEXPECTED = {"blank": True}\n',
    "identity.py": '"""Returns x."""\n\nEXPECTED = {"scores": {"tiny_double": 0.0}, "mistake": "identity"}\n\n\n'
    "# %% tiny_double_solution\ndef double(x):\n    return x\n",
}


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_adding_an_assignment_as_the_readme_says(course_copy: Path) -> None:
    engine_before = tree_digest(course_copy / "autograder")
    source = course_copy / "source" / "tiny"
    source.mkdir()
    nbformat.write(instructor_notebook(), source / "tiny.ipynb")
    (source / "selfcheck.py").write_text(SELFCHECK.lstrip())
    (source / "requirements.txt").write_text("numpy\n")
    hidden = course_copy / "autograder" / "assignments" / "tiny"
    (hidden / "samples").mkdir(parents=True)
    declaration = block("python", "# autograder/assignments/tiny/__init__.py")
    (hidden / "__init__.py").write_text(declaration)
    (hidden / "reference.py").write_text(REFERENCE)
    (hidden / "checks.py").write_text(CHECKS.lstrip())
    (hidden / "public.py").write_text('from autograder import public\n\nselfcheck = public.load("tiny")\n')
    for name, text in SAMPLES.items():
        (hidden / "samples" / name).write_text(text)
    outputs = []
    for command in block("bash").strip().splitlines():
        done = subprocess.run(
            [sys.executable, *command.split()[1:], "--workdir", str(course_copy / "graded")]
            if " grade " in command
            else [sys.executable, *command.split()[1:]],
            cwd=course_copy, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        outputs.append(done.stdout)
    assert (course_copy / "release" / "tiny" / "tiny.ipynb").is_file()
    assert "BEGIN SOLUTION" not in (course_copy / "release" / "tiny" / "tiny.ipynb").read_text()
    assert (course_copy / "release" / "tiny" / "selfcheck_kit.py").is_file()
    table = outputs[-1]
    totals = {
        words[0]: words[2]
        for words in map(str.split, table.splitlines())
        if words[:1] in (["correct"], ["blank"], ["identity"])
    }
    assert totals == {"correct": "2", "blank": "0", "identity": "0"}, table
    assert "[identity]" in (course_copy / "graded" / "feedback" / "identity" / "tiny" / "tiny.html").read_text()
    hidden.rename(course_copy / "tiny-hidden-side")  # all the instructor added under autograder/
    assert tree_digest(course_copy / "autograder") == engine_before, "adding an assignment changed an engine file"

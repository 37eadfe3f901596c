"""``python -m autograder new ID``: a new assignment that already builds, grades and checks.

It writes the two folders an assignment is (see the README's "Adding an assignment" and
``docs/assignments.md``): ``source/<id>/`` (the notebook as nbgrader's Create Assignment toolbar
makes it: a text cell, the self-check import, one solution cell, its test cell with the hidden
region naming its check, one written answer; ``selfcheck.py``; ``requirements.txt``) and
``autograder/assignments/<id>/`` (the declaration, the reference, the hidden check, ``public.py``
and three samples with their ``EXPECTED``). The example function is ``double(x)``; replace it
with the sheet's own, keeping the shape.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograder.grading.assignment import AssignmentError
from autograder.grading.notebooks import COURSE_ROOT

#: An assignment id: what nbgrader, Python's imports and file names all accept.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")

DECLARATION = '''"""{title}: one function, double(x)."""

from pathlib import Path

from autograder.grading.assignment import Assignment, HiddenCheck, Part
from autograder.assignments.{id} import checks, reference

ASSIGNMENT = Assignment(
    id="{id}",
    parts=(Part("{id}", "{title}"),),  # grade ids start with a part's id; titles as students see them
    checks=(HiddenCheck("{id}_double", "double", checks.check_double),),  # one per test cell
    values=(),  # names students set rather than functions they write
    dependencies={{}},  # function -> contract functions it may call (served by the reference)
    reference=reference,
    folder=Path(__file__).resolve().parent,
    bundled=("correct", "blank", "identity"),  # samples graded by the main job
)
'''
REFERENCE = '''"""The reference solutions of {id} (never shipped to students)."""


def double(x):
    return 2 * x
'''
CHECKS = '''"""The hidden checks of {id}: one function per autograded test cell, (student, rng) -> Verdict."""

from autograder.assignments.{id}.public import selfcheck
from autograder.grading.selfcheck_kit import expected_values_withheld
from autograder.grading.verdict import Verdict


def check_double(student, rng):
    """The public case first (as the notebook's self-check), then a hidden input."""
    fn = student.get("double")
    if fn is None:
        return Verdict(0.0, (selfcheck.Problem("double is not defined"),), public_passed=False)
    problems = selfcheck.double_case(fn, 3.0, "on the example")
    if problems:
        return Verdict(0.0, tuple(problems), public_passed=False)
    with expected_values_withheld():
        problems = selfcheck.double_case(fn, float(rng.normal()), "on a hidden input")
    return Verdict(0.0 if problems else 1.0, tuple(problems))
'''
PUBLIC = '''"""The public self-check of {id}, as the grader loads it."""

from autograder.grading import public

selfcheck = public.load("{id}")
'''
SELFCHECK = '''"""Self-check of {id}: what students run in their notebook (the grader runs it too)."""

from selfcheck_kit import Checker, call, report

check = Checker({{"identity": "x itself was returned; double it"}})


def double_case(fn, x, where):
    value, problems = call("double", fn, x)
    return problems or check.compare_scalar(f"double({{x}}) {{where}}", value, 2 * x, {{"identity": x}})


def check_double(fn):
    report("double", double_case(fn, 3.0, "on the example"), "on the example")
'''
SAMPLES = {
    "correct.py": '"""The instructor\'s answers."""\n',
    "blank.py": '"""Nothing done."""\n\nEXPECTED = {{"blank": True}}\n',
    "identity.py": '"""Returns x."""\n\nEXPECTED = {{"scores": {{"{id}_double": 0.0}}, "mistake": "identity"}}\n\n\n'
    "# %% {id}_double_solution\ndef double(x):\n    return x\n",
}


def _cell(kind: str, source: str, grade_id: str, **nbgrader: object) -> nbformat.NotebookNode:
    made = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    made.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "solution": False, "grade": False,
                                 "locked": False, **nbgrader}  # fmt: skip
    return made


def notebook(assignment_id: str, title: str) -> nbformat.NotebookNode:
    """The instructor's notebook, as nbgrader's Create Assignment toolbar makes one."""
    made = nbformat.v4.new_notebook()
    made.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    test = f'check_double(double)\n### BEGIN HIDDEN TESTS\ngrade("{assignment_id}_double")\n### END HIDDEN TESTS'
    made.cells = [
        _cell("markdown", f"# {title}\nWrite `double(x)`, which returns `2 * x`.", f"{assignment_id}_text",
              locked=True),
        _cell("code", "from selfcheck import check_double", f"{assignment_id}_imports", locked=True),
        _cell("code", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
              f"{assignment_id}_double_solution", solution=True),
        _cell("code", test, f"{assignment_id}_double", grade=True, locked=True, points=2),
        _cell("markdown", "Why does `double` return `2 * x`?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION",
              f"{assignment_id}_why", grade=True, solution=True, points=1),
    ]  # fmt: skip
    return made


def files(assignment_id: str, title: str) -> dict[str, str]:
    """Every text file of the new assignment, by path in the course."""
    hidden = f"autograder/assignments/{assignment_id}"
    made = {
        f"source/{assignment_id}/selfcheck.py": SELFCHECK,
        f"source/{assignment_id}/requirements.txt": "numpy\n",
        f"{hidden}/__init__.py": DECLARATION,
        f"{hidden}/reference.py": REFERENCE,
        f"{hidden}/checks.py": CHECKS,
        f"{hidden}/public.py": PUBLIC,
        **{f"{hidden}/samples/{name}": text for name, text in SAMPLES.items()},
    }
    return {path: text.format(id=assignment_id, title=title) for path, text in made.items()}


def scaffold(assignment_id: str, title: str = "", root: Path = COURSE_ROOT) -> list[Path]:
    """Write a new assignment ``assignment_id`` into the course at ``root``; the files written.
    Refuses an id that is not a plain lower-case name, or that an assignment already has."""
    if not ID_PATTERN.fullmatch(assignment_id):
        raise AssignmentError(
            f"{assignment_id!r} is not an assignment id: use lower-case letters, digits and _, starting with a letter"
        )
    taken = [root / "source" / assignment_id, root / "autograder" / "assignments" / assignment_id]
    if any(path.exists() for path in taken):
        raise AssignmentError(f"{assignment_id}: {' or '.join(map(str, taken))} exists already; choose another id")
    title = title or assignment_id.replace("_", " ").capitalize()
    written = []
    for relative, text in files(assignment_id, title).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    path = root / "source" / assignment_id / f"{assignment_id}.ipynb"
    nbformat.write(notebook(assignment_id, title), path)
    return [path, *written]

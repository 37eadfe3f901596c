"""``python -m autograder gradescope run``: grade the one submission in a Gradescope container.

Gradescope unpacks the bundle into ``<root>/source``, puts the student's files into
``<root>/submission`` (and ``<root>/submission_metadata.json`` next to it) and reads
``<root>/results/results.json``; ``<root>`` is ``/autograder``. The notebook is graded by
:func:`autograder.commands.grade.grade_notebooks`, the same nbgrader pipeline and trusted grader as
``python -m autograder grade``, with the student's hidden inputs seeded by their Gradescope id.

When Gradescope builds the image, ``setup.sh`` runs ``python -m autograder gradescope prepare``: the
course with its assignment generated (nbgrader's ``generate_assignment``) in ``prepared-course/``
of the bundle's folder. Each run then grades in a copy of it with
:func:`autograder.commands.grade.grade_one_here`: in this process (no worker: one submission), without
feedback HTML or a class report (``results.json`` is what Gradescope shows); without a prepared
course, the run generates the assignment itself (a few tenths of a second more).

The student's kernel is jailed with bubblewrap when the container allows namespaces. When it
does not, the kernel runs as nobody (``JailedKernelManager.isolation = "user"``) and ``<root>``
is first made unreadable to anyone but root, so the kernel can neither read the course nor
write the results. A ``results.json`` is always written, also when grading fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import traceback
from pathlib import Path
from typing import Any

from traitlets.config import Config

from autograder import assignments, course
from autograder.batch import submissions
from autograder.commands import grade
from autograder.gradescope.results import failed_results, results_json
from autograder.grading import public, records
from autograder.grading.assignment import Assignment
from autograder.grading.notebooks import COURSE_ROOT, read
from autograder.reports.feedback.summary import summarize

GRADESCOPE_ROOT = Path("/autograder")
#: Courses with their assignment generated, by assignment id (see :func:`prepare`).
PREPARED = COURSE_ROOT / "prepared-course"


class SubmissionProblem(ValueError):
    """Something the student must fix in what they uploaded; the message is shown to them."""


def _notebooks(folder: Path) -> list[Path]:
    found = [path for path in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts]
    return sorted(found, key=lambda path: (len(path.parts), str(path)))


def find_notebook(folder: Path, name: str) -> tuple[Path, list[str]]:
    """The notebook to grade (``name``, else the only one) in the uploaded files, and notes for the
    student about the choice."""
    notebooks = _notebooks(folder) if folder.is_dir() else []
    named = [path for path in notebooks if path.name == name]
    if named:
        extra = [f"Several files are named {name}; {named[0].relative_to(folder)} was graded."]
        return named[0], extra if len(named) > 1 else []
    if len(notebooks) == 1:
        return notebooks[0], [f"{notebooks[0].name} was graded; please name the notebook {name} next time."]
    uploaded = sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    listing = ", ".join(uploaded) if folder.is_dir() and uploaded else "no files"
    raise SubmissionProblem(f"Upload your notebook as {name}. This submission has: {listing}.")


def student_of(root: Path) -> str:
    """The student's id for the gradebook and the seed: their Gradescope user id."""
    try:
        users = json.loads((root / "submission_metadata.json").read_text())["users"]
        return submissions.student_id(f"gradescope-{users[0]['id']}")
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return "student"


def namespaces_work() -> bool:
    """Whether bubblewrap can make the jail's namespaces here (many containers forbid it)."""
    try:
        probe = ["bwrap", "--unshare-all", "--unshare-user", "--ro-bind", "/", "/", "true"]
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def lock(root: Path) -> None:
    """Make ``root`` (course, submission, results) reachable by root only."""
    os.chown(root, 0, 0)
    os.chmod(root, 0o700)


def prepare(assignment_id: str | None = None) -> Path:
    """Make the course in which each run grades a copy, with the assignment generated (once, when
    Gradescope builds the image); its folder."""
    assignment = assignments.resolve(assignment_id)
    target = PREPARED / assignment.id
    shutil.rmtree(target, ignore_errors=True)
    course.copy_course(target)
    course.generate_assignment(course.api_for(target), assignment.id)
    return target


def grade_submission(root: Path, isolation: str | None = None, assignment_id: str | None = None) -> dict[str, Any]:
    """Grade ``<root>/submission``; the ``results.json`` content. ``isolation``: the jail's kind
    (default: ``namespaces`` when they work here, else ``user``); ``assignment_id``: default, the
    only assignment in the bundle."""
    assignment: Assignment | None = None
    try:
        assignment = assignments.resolve(assignment_id)
        path, notes = find_notebook(root / "submission", assignment.notebook_name)
        notebook = submissions.read_notebook(path, root / "submission")
        if isinstance(notebook, submissions.Rejection):
            raise SubmissionProblem(f"{path.name} is {notebook.reason.split(';')[0]}. Upload it again.")
        overrides = Config()
        overrides.JailedKernelManager.isolation = isolation or ("namespaces" if namespaces_work() else "user")
        overrides.JailedKernelManager.cgroups = "if available"  # seldom writable in a container, the boundary there
        if overrides.JailedKernelManager.isolation == "user":
            lock(root)
        student = student_of(root)
        prepared = PREPARED / assignment.id
        with tempfile.TemporaryDirectory(prefix=f"{assignment.id}-grading-") as scratch:
            if prepared.is_dir():
                shutil.copytree(prepared, scratch, dirs_exist_ok=True)
            run = grade.grade_one_here(
                assignment, student, notebook, Path(scratch), overrides, generated=prepared.is_dir()
            )
            scores = run.scores[student]
            if scores.error:
                message = "Your notebook could not be graded; your instructor has the details."
                return failed_results(assignment, message, scores.error)
            record = records.load(run.workdir / records.RECORDS_DIRNAME, assignment.id, student)
            graded = run.workdir / "autograded" / student / assignment.id / assignment.notebook_name
            summary = summarize(scores, record, public.mistake_meanings(assignment.id), read(graded))
            return results_json(summary, student, record, notes)
    except SubmissionProblem as problem:
        return failed_results(assignment, str(problem))
    except Exception:
        message = "The autograder failed; your instructor has the details."
        return failed_results(assignment, message, traceback.format_exc())


def write_results(root: Path, results: dict[str, Any]) -> Path:
    """Write ``<root>/results/results.json``."""
    path = root / "results" / "results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1))
    return path

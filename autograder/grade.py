"""``python -m autograder grade [FOLDER]``: grade a class through the real nbgrader pipeline.

The submissions are copied into a scratch copy of the course (``submitted/<student>/sheet12``),
then nbgrader's own ``generate_assignment``, ``autograde`` and ``generate_feedback`` run
there, and the scores are read back from that course's gradebook. Without a folder the
bundled sample class is graded.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from autograder import course, report, samples, submissions
from autograder.notebooks import ASSIGNMENT, NOTEBOOK


@dataclass
class GradingRun:
    """What a grading run produced and where."""

    workdir: Path
    scores: dict[str, report.StudentScores]
    rejected: list[submissions.Rejection] = field(default_factory=list)

    @property
    def failed(self) -> dict[str, str]:
        """Students whose notebook nbgrader could not grade, with the reason."""
        return {student: result.error for student, result in self.scores.items() if result.error}

    @property
    def feedback_dir(self) -> Path:
        """Where nbgrader wrote the feedback HTML of every student."""
        return self.workdir / "feedback"


def bundled_class() -> dict[str, NotebookNode]:
    """The sample submissions shipped with the course."""
    return {sample.student: sample.notebook() for sample in samples.BUNDLED}


def _reason(result: dict) -> str:
    """The first error nbgrader logged for a failed step, else the exception's last line."""
    errors = [line for line in result.get("log", "").splitlines() if line.startswith("[ERROR]")]
    lines = errors or [line for line in result.get("error", "").splitlines() if line.strip()][-1:]
    return lines[0].removeprefix("[ERROR] ") if lines else "unknown error"


def grade_notebooks(
    notebooks: dict[str, NotebookNode], workdir: Path | None = None, overrides: Config | None = None
) -> GradingRun:
    """Autograde these students' notebooks with nbgrader in a scratch course at ``workdir``
    (``overrides``: nbgrader settings to change for this run, such as time limits)."""
    # nbgrader 0.9's gradebook code trips SQLAlchemy 2's autoflush warnings; the rows are written all the same.
    warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")
    workdir = workdir or Path(tempfile.mkdtemp(prefix="sheet12-grading-"))
    course.copy_course(workdir)
    api = course.api_for(workdir, overrides)
    course.generate_assignment(api)
    for student, notebook in notebooks.items():
        target = workdir / "submitted" / student / ASSIGNMENT / NOTEBOOK
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
    errors = {}
    for student in notebooks:
        result = api.autograde(ASSIGNMENT, student, force=True, create=True)
        if not result.get("success"):
            errors[student] = f"nbgrader autograde failed: {_reason(result)}"
    api.generate_feedback(ASSIGNMENT)
    scores = report.read_scores(workdir / "gradebook.db", list(notebooks))
    for student, error in errors.items():
        scores[student].error = error
    return GradingRun(workdir, scores)


def grade_folder(folder: Path | None, workdir: Path | None = None, overrides: Config | None = None) -> GradingRun:
    """Grade the submissions in ``folder``, or the bundled samples when it is None."""
    if folder is None:
        return grade_notebooks(bundled_class(), workdir, overrides)
    found = submissions.find(folder)
    if not found.notebooks:
        raise submissions.NoSubmissions(
            f"{folder}: no gradable submission; expected <student>.ipynb files or"
            f" <student>/{ASSIGNMENT}/{NOTEBOOK} folders" + "".join(f"\n  {r}" for r in found.rejected)
        )
    run = grade_notebooks(found.notebooks, workdir, overrides)
    run.rejected = found.rejected
    return run


def summary(run: GradingRun) -> str:
    """The score table, then what could not be graded and where the feedback is."""
    lines = [report.format_table(run.scores)]
    review = report.format_review(run.scores)
    if review:
        lines.append("\nFor review (grading records in grading_records/):\n" + review)
    if run.rejected:
        lines.append("\nNot graded (fix and grade again):")
        lines += [f"  {rejection}" for rejection in run.rejected]
    lines.append(f"\nFeedback per student: {run.feedback_dir}/<student>/{ASSIGNMENT}/")
    lines.append(f"Gradebook of this run: {run.workdir / 'gradebook.db'}")
    return "\n".join(lines)

"""``python -m autograder grade [FOLDER|ZIP] [--assignment ID]``: grade a class through the real nbgrader pipeline.

The submissions go into a course folder (a scratch copy of the course by default) under
``submitted/<student>/<assignment>``; nbgrader's own ``generate_assignment``, ``autograde`` and
``generate_feedback`` run there (autograde in parallel, see :mod:`autograder.batch.pool`), the
scores are read back from that course's gradebook, and the class report is written. Without
a folder the bundled sample class is graded.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.api import Gradebook
from traitlets.config import Config

from autograder import course
from autograder.batch import one_student, pool, submissions
from autograder.grading import cost, records
from autograder.grading.assignment import Assignment
from autograder.reports import scores

#: What the students graded in a run cost, in the run's course folder: CPU seconds by stage, summed
#: over every process that took part (the grader's, the kernels', the workers'), and the peak
#: resident memory of the command's process and of a grading process, in MiB.
COSTS_FILE = "cpu_seconds.json"
#: Students graded at once: one more than the cores, so that a core is never idle while a
#: worker waits for its kernel to start.
DEFAULT_JOBS = (os.cpu_count() or 1) + 1


@dataclass
class GradingRun:
    """What a grading run produced and where."""

    workdir: Path
    assignment: Assignment
    scores: dict[str, scores.StudentScores]
    rejected: list[submissions.Rejection] = field(default_factory=list)
    #: Students' older uploads, not graded (their newest is).
    superseded: list[submissions.Rejection] = field(default_factory=list)
    #: Files beside a notebook that were not kept (it was graded without them).
    dropped: list[submissions.Rejection] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)

    @property
    def failed(self) -> dict[str, str]:
        """Students whose notebook nbgrader could not grade, with the reason."""
        return {student: result.error for student, result in self.scores.items() if result.error}

    @property
    def feedback_dir(self) -> Path:
        """Where nbgrader wrote the feedback HTML of every student."""
        return self.workdir / "feedback"


def grade_notebooks(
    assignment: Assignment,
    notebooks: Mapping[str, NotebookNode],
    workdir: Path | None = None,
    overrides: Config | None = None,
    jobs: int = DEFAULT_JOBS,
    scheduler: str | object | None = None,
    due: datetime | None = None,
) -> GradingRun:
    """Autograde these students' notebooks: see :func:`grade_files`."""
    with submissions.spool_folder() as spooled:
        files = submissions.spool_all(notebooks, spooled)
        return grade_files(assignment, files, workdir, overrides, jobs, scheduler, due)


def grade_files(
    assignment: Assignment,
    files: Mapping[str, Path],
    workdir: Path | None = None,
    overrides: Config | None = None,
    jobs: int = DEFAULT_JOBS,
    scheduler: str | object | None = None,
    due: datetime | None = None,
) -> GradingRun:
    """Autograde the students' notebook files (as :func:`submissions.spool` writes them) with
    nbgrader in the course at ``workdir`` (a new scratch course by default; an earlier one resumes),
    ``jobs`` at a time on this machine, or on the Dask cluster whose scheduler is at ``scheduler``
    (an address, or a Dask cluster object), and write the class scores. ``overrides``: nbgrader
    settings to change for this run, such as time limits; ``due``: the assignment's due date, kept in
    the gradebook (nbgrader measures each submission's time against it). Only one notebook is read
    at a time."""
    workdir = workdir or new_workdir(assignment)
    course.copy_course(workdir)
    course.write_folder_config(workdir)
    course.set_due_date(workdir, assignment.id, due)
    if scheduler:
        from autograder.batch import cluster  # Dask is imported for a cluster run only (about 1 s)

        batch = cluster.grade_all(workdir, assignment.id, files, scheduler, overrides)
    else:
        batch = pool.grade_all(workdir, assignment.id, files, jobs, overrides)
    return _finish(workdir, assignment, list(files), batch, with_class_report=True)


def new_workdir(assignment: Assignment) -> Path:
    """A new scratch course folder for a grading run."""
    return Path(tempfile.mkdtemp(prefix=f"{assignment.id}-grading-"))


def grade_one_here(
    assignment: Assignment,
    student: str,
    notebook: NotebookNode,
    workdir: Path,
    overrides: Config | None = None,
    generated: bool = False,
) -> GradingRun:
    """One submission autograded in this process, for a container of its own (Gradescope's): no
    worker (it would take longer to start than the grading), no feedback HTML and no class report
    (its results are read from the run), in the course at ``workdir``, where the assignment is
    generated first unless it already is (``generated``)."""
    course.copy_course(workdir)
    with submissions.spool_folder() as spooled:
        files = submissions.spool_all({student: notebook}, spooled)
        batch = pool.grade_here(workdir, assignment.id, files, overrides, generate=not generated)
    return _finish(workdir, assignment, [student], batch, with_class_report=False)


def _finish(
    workdir: Path, assignment: Assignment, students: list[str], batch: one_student.Batch, with_class_report: bool
) -> GradingRun:
    """Read the scores back, write the class report (when asked) and what the run cost."""
    started = time.process_time()
    class_scores = scores.read_scores(workdir / "gradebook.db", assignment, students)
    for student, error in batch.failures.items():
        class_scores[student].error = error
    if with_class_report:
        from autograder.reports import class_report  # Matplotlib takes 0.3 s to import; a Gradescope run draws nothing

        class_report.write_class_report(class_scores, assignment, workdir)
    batch.spent("report", time.process_time() - started)
    graded = len(students) - len(batch.skipped) - len(batch.failures)
    peaks = {"command": round(cost.peak_resident_bytes() / 1024**2, 1), "worker": batch.worker_peak_mib}
    costs = {"students": graded, "cpu_seconds": batch.cpu_seconds, "peak_resident_mib": peaks}
    (workdir / COSTS_FILE).write_text(json.dumps(costs, indent=1))
    return GradingRun(workdir, assignment, class_scores, resumed=batch.skipped)


def grade_folder(
    assignment: Assignment,
    folder: Path | None,
    workdir: Path | None = None,
    overrides: Config | None = None,
    jobs: int = DEFAULT_JOBS,
    scheduler: str | object | None = None,
    due: datetime | None = None,
) -> GradingRun:
    """Grade the submissions in ``folder``, or the assignment's bundled samples when it is None (on
    this machine, or on a Dask cluster: see :func:`grade_notebooks`)."""
    if folder is None:
        return grade_notebooks(assignment, assignment.bundled_class(), workdir, overrides, jobs, scheduler, due)
    with submissions.spool_folder() as spooled:
        found = submissions.find(folder, assignment.id, spooled)
        if not found.notebooks:
            raise submissions.NoSubmissions(
                f"{folder}: no gradable submission; expected <student>.ipynb files,"
                f" <student>/{submissions.nbgrader_layout(assignment.id)} folders or a Moodle or Canvas download"
                + "".join(f"\n  {r}" for r in found.rejected)
            )
        workdir = workdir or new_workdir(assignment)
        for student in found.notebooks:  # before the report is written
            notes = found.notes.get(student, records.UploadNotes())
            notes.save(workdir / records.RECORDS_DIRNAME, assignment.id, student)
        run = grade_files(assignment, found.notebooks, workdir, overrides, jobs, scheduler, due)
    run.rejected, run.superseded, run.dropped = found.rejected, found.superseded, found.dropped
    keep_names(run.workdir / "gradebook.db", found.names)
    return run


def keep_names(db_path: Path, names: dict[str, str]) -> None:
    """Put the students' names from an LMS download into the gradebook (the formgrader and
    ``nbgrader export`` show them next to the LMS's id)."""
    with Gradebook(f"sqlite:///{db_path}") as gradebook:
        for student, name in names.items():
            gradebook.update_or_create_student(student, last_name=name)


def summary(run: GradingRun) -> str:
    """The score table, then what could not be graded and where the feedback is."""
    lines = [scores.format_table(run.scores, run.assignment)]
    review = scores.format_review(run.scores)
    if review:
        lines.append("\nFor review (grading records in grading_records/):\n" + review)
    if run.rejected:
        lines.append("\nNot graded (fix and grade again):")
        lines += [f"  {rejection}" for rejection in run.rejected]
    if run.superseded:
        lines.append("\nOther uploads, not graded (each line says which upload of the student is graded, and why):")
        lines += [f"  {upload}" for upload in run.superseded]
    if run.dropped:
        lines.append("\nFiles beside a notebook that were not kept (the notebook was graded):")
        lines += [f"  {dropped}" for dropped in run.dropped]
    if run.resumed:
        lines.append(f"\nAlready graded in this course folder, not graded again: {', '.join(sorted(run.resumed))}")
    lines.append(f"\nFeedback per student: {run.feedback_dir}/<student>/{run.assignment.id}/")
    lines.append(f"Grades: {run.workdir / 'grades.csv'}; class report: {run.workdir / 'class_report.html'}")
    lines.append(f"Gradebook of this run: {run.workdir / 'gradebook.db'}")
    return "\n".join(lines)

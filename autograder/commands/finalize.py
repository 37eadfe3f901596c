"""``python -m autograder finalize --workdir W``: the last step, after the written answers are graded by hand.

The formgrader (JupyterLab started in ``W``, whose ``nbgrader_config.py`` the grade run wrote)
keeps the TAs' points and comments in ``W``'s gradebook. This step writes, from that gradebook:
every graded student's feedback page again (nbgrader's own ``generate_feedback``, so the pages
show the points graded by hand and the formgrader's comments), the class report and
``grades.csv`` with final totals; and, when the course hands out its assignments through
nbgrader's exchange (the assignment was released there with ``release_assignment``), it releases
the feedback there too (nbgrader's ``release_feedback``) for students to fetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config

from autograder import course
from autograder.batch import one_student
from autograder.grading.assignment import Assignment
from autograder.reports.scores import StudentScores, read_class


@dataclass
class Finalized:
    """What the last step wrote, and what it could not."""

    scores: dict[str, StudentScores]
    #: Students whose feedback page could not be written, with nbgrader's reason.
    no_feedback: dict[str, str] = field(default_factory=dict)
    #: The exchange folder the feedback was released to (None: the course uses no exchange, or it failed).
    released: Path | None = None
    #: Why nbgrader's release_feedback failed ("": it did not fail).
    release_error: str = ""

    @property
    def pending(self) -> list[str]:
        """Students with a written answer not graded by hand yet."""
        return sorted(student for student, result in self.scores.items() if not result.error and result.pending)

    @property
    def complete(self) -> bool:
        """Whether every graded student's final feedback is written (and released, where it goes out)."""
        return not (self.no_feedback or self.pending or self.release_error)


def exchange_course(config: Config, assignment: str, exchange: Path | None) -> Path | None:
    """The course's folder in nbgrader's exchange (``exchange``, else the course's ``Exchange.root``),
    when the assignment was released there; else None."""
    root = exchange or Path(config.Exchange.get("root", "/srv/nbgrader/exchange"))
    folder = root / config.CourseDirectory.course_id
    return folder if (folder / "outbound" / assignment).is_dir() else None


def finalize(workdir: Path, assignment: Assignment, exchange: Path | None = None) -> Finalized:
    """Write the feedback pages, the class report and ``grades.csv`` of the course folder ``workdir``
    again from its gradebook, and release the feedback through nbgrader's exchange when the
    assignment was released there (``exchange``: the exchange's root, default the course's)."""
    scores = read_class(workdir, assignment)
    overrides = Config()
    if exchange is not None:
        overrides.Exchange.root = str(exchange)
    api = course.api_for(workdir, overrides)
    done = Finalized(scores)
    graded = [student for student, result in scores.items() if not result.error]
    if graded:
        result = api.generate_feedback(assignment.id, force=True)
        reason = "" if result.get("success") else course.failure_reason(result)
        for student in graded:
            if not one_student.feedback_page(workdir, assignment.id, student).is_file():
                done.no_feedback[student] = reason or "no feedback file was written"
    from autograder.reports.class_report import write_class_report  # Matplotlib: imported where it draws

    write_class_report(scores, assignment, workdir)
    folder = exchange_course(api.config, assignment.id, exchange)
    if folder is not None:
        result = api.release_feedback(assignment.id)
        if result.get("success"):
            done.released = folder / "feedback"
        else:
            done.release_error = f"nbgrader release_feedback failed: {course.failure_reason(result)}"
    return done


def summary(done: Finalized, workdir: Path, assignment: Assignment) -> str:
    """What was written and where, what is pending, and what failed."""
    lines = [f"Feedback pages: {workdir / 'feedback'}/<student>/{assignment.id}/"]
    lines.append(f"Grades with final totals: {workdir / 'grades.csv'}; class report: {workdir / 'class_report.html'}")
    if done.released:
        lines.append(f"Feedback released through nbgrader's exchange: {done.released}")
    elif done.release_error:
        lines.append(f"Feedback not released: {done.release_error}")
    else:
        lines.append(
            "The assignment did not go out through nbgrader's exchange: hand out the pages, or export to the LMS"
        )
    if done.pending:
        lines.append(f"Written answers still to grade in the formgrader: {', '.join(done.pending)}")
    lines += [f"No feedback page for {student}: {reason}" for student, reason in sorted(done.no_feedback.items())]
    return "\n".join(lines)

"""Scores per student and part, read from the nbgrader gradebook, and their text table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.grading import records
from autograder.grading.assignment import Assignment


@dataclass
class StudentScores:
    """Autograded points of one student per part (None when the notebook was not graded)."""

    student: str
    assignment: Assignment
    by_cell: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    seed: int | None = None
    faults: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    #: Points of each written answer (None: not graded yet), as nbgrader's gradebook has them.
    manual: dict[str, float | None] = field(default_factory=dict)
    #: nbgrader's score of every cell: a score typed in the formgrader wins over the autograded
    #: one, extra credit added; a written answer not graded yet is absent.
    final_by_cell: dict[str, float] = field(default_factory=dict)
    #: The formgrader's comment on each written answer that has one, by grade id.
    comments: dict[str, str] = field(default_factory=dict)
    #: The student's name as the gradebook has it ("" when it has none).
    name: str = ""
    #: Points nbgrader's late-submission plugin took off.
    late_penalty: float = 0.0
    #: How late the submission was: its time (nbgrader's ``timestamp.txt``) past the due date set in
    #: the gradebook, in seconds (0: on time, or no time or due date known).
    seconds_late: float = 0.0
    #: The LMS that marked the graded upload late without a time (Canvas's ``LATE``), if one did.
    lms_late: str | None = None
    #: Why the choice of the graded upload among several needs a person, if it does.
    which_upload: str | None = None

    @property
    def review(self) -> str:
        """What a grader should look at: tamper flags and faults."""
        notes = (["FLAGGED"] if self.flags else []) + ([f"{len(self.faults)} fault(s)"] if self.faults else [])
        return ", ".join(notes) or "-"

    def part(self, part: str) -> float:
        """Autograded points of one part."""
        return self._in_part(self.by_cell, part)

    def _in_part(self, cells: dict[str, float], part: str) -> float:
        return sum(score for grade_id, score in cells.items() if self.assignment.part_of(grade_id) == part)

    @property
    def by_hand(self) -> str:
        """The points graded by hand, "pending" while a cell is not graded, "" when there is none."""
        if not self.manual:
            return ""
        if None in self.manual.values():
            return "pending"
        return f"{sum(score for score in self.manual.values() if score is not None):g}"

    @property
    def total(self) -> float:
        """Autograded points of the whole sheet."""
        return sum(self.by_cell.values())

    @property
    def late_by(self) -> str:
        """How late the submission was, briefly ("1d 2h 5min", "Canvas's mark"; "" when on time or not known)."""
        if self.seconds_late <= 0:
            return f"{self.lms_late.capitalize()}'s mark" if self.lms_late else ""
        hours, seconds = divmod(round(self.seconds_late), 3600)
        days, hours = divmod(hours, 24)
        amounts = [(days, "d"), (hours, "h"), (seconds // 60, "min")]
        return " ".join(f"{amount}{unit}" for amount, unit in amounts if amount) or "under 1min"

    @property
    def lateness(self) -> str:
        """How late the submission was, as a sentence ("" when on time or not known)."""
        if self.seconds_late > 0:
            return f"Submitted {self.late_by} after the due date."
        return f"Marked late by {self.lms_late.capitalize()} (the download gives no time)." if self.lms_late else ""

    @property
    def pending(self) -> bool:
        """Whether a written answer is not graded yet."""
        return None in self.manual.values()

    def final_part(self, part: str) -> float:
        """Points of one part so far: autograded (or as changed by hand) and graded by hand."""
        return self._in_part(self.final_by_cell, part)

    @property
    def final_total(self) -> float | None:
        """Every point, less a late penalty: None until every written answer is graded (or when
        the notebook was not graded)."""
        if self.error or self.pending:
            return None
        return sum(self.final_by_cell.values()) - self.late_penalty


def read_scores(db_path: Path, assignment: Assignment, students: list[str]) -> dict[str, StudentScores]:
    """Autograded cell scores of these students from the gradebook at ``db_path``, with the
    trusted grader's faults and flags from the grading records next to it."""
    scores = {student: StudentScores(student, assignment) for student in students}
    for student, result in scores.items():
        record = records.load(db_path.parent / records.RECORDS_DIRNAME, assignment.id, student)
        if record is not None:
            result.seed, result.faults, result.flags = record.seed, record.faults, record.flags
        notes = records.upload_notes(db_path.parent / records.RECORDS_DIRNAME, assignment.id, student)
        result.lms_late, result.which_upload = notes.late_mark, notes.which_upload
    with Gradebook(f"sqlite:///{db_path}") as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission_notebook(assignment.id, assignment.id, student)
            except MissingEntry:
                scores[student].error = "not in the gradebook"
                continue
            person = submission.student
            scores[student].name = " ".join(part for part in (person.first_name, person.last_name) if part)
            scores[student].late_penalty = float(submission.late_submission_penalty or 0.0)
            scores[student].seconds_late = float(submission.assignment.total_seconds_late or 0.0)
            scores[student].final_by_cell = {
                grade.name: float(grade.score)
                for grade in submission.grades
                if (grade.name in assignment.by_grade_id or grade.name in assignment.manual)
                and not grade.needs_manual_grade
            }
            scores[student].by_cell = {
                grade.name: float(grade.auto_score or 0.0)
                for grade in submission.grades
                if grade.name in assignment.by_grade_id
            }
            scores[student].comments = {
                comment.name: comment.manual_comment
                for comment in submission.comments
                if comment.name in assignment.manual and comment.manual_comment
            }
            # nbgrader's own rule: a written answer needs a person unless it was graded in the
            # formgrader or left as released (nbgrader scores that 0 when it autogrades).
            scores[student].manual = {
                grade.name: None if grade.needs_manual_grade else float(grade.score)
                for grade in submission.grades
                if grade.name in assignment.manual
            }
    return scores


def format_table(scores: dict[str, StudentScores], assignment: Assignment) -> str:
    """A plain-text table: one row per student, one column per part, and the total."""
    maxima = assignment.points_by_part()
    auto_max = sum(part["auto"] for part in maxima.values())
    manual_max = sum(part["manual"] for part in maxima.values())
    parts = list(maxima)
    titles = [f"{assignment.title(part)}/{maxima[part]['auto']:g}" for part in parts]
    headers = ["student", *titles, f"total/{auto_max:g}", "review"]
    rows = []
    for student, result in sorted(scores.items()):
        if result.error:
            rows.append([student, *("-" for _ in parts), "-", f"not graded: {result.error}"])
        else:
            rows.append([student, *(f"{result.part(p):g}" for p in parts), f"{result.total:g}", result.review])
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in [headers, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append(f"Autograded points only; {manual_max:g} more points are graded by hand in the formgrader.")
    return "\n".join(lines)


def format_review(scores: dict[str, StudentScores]) -> str:
    """Details of every flag and fault, student by student."""
    lines = []
    for student, result in sorted(scores.items()):
        lines += [f"  {student}: FLAGGED {flag}" for flag in result.flags]
        lines += [f"  {student}: fault {fault}" for fault in result.faults]
    return "\n".join(lines)


def read_class(workdir: Path, assignment: Assignment) -> dict[str, StudentScores]:
    """The scores of every student with a submission of this assignment in the gradebook of the
    course folder ``workdir`` (a grade run's), e.g. to write the class report again later."""
    db_path = workdir / "gradebook.db"
    if not db_path.is_file():
        raise FileNotFoundError(f"{workdir}: no gradebook.db here; give the course folder a grade run wrote")
    with Gradebook(f"sqlite:///{db_path}") as gradebook:
        try:
            students = sorted(s.student.id for s in gradebook.assignment_submissions(assignment.id))
        except MissingEntry:
            students = []
    return read_scores(db_path, assignment, students)

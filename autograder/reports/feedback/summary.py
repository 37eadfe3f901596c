"""The summary by part that a student reads first about a graded submission.

Built from the gradebook's scores, the trusted grader's record and the assignment's declaration:
each part in the sheet's order with its title, its autograded points, the named mistakes (what
each means and where the notebook's hint for it is), faults in plain words, and its answers
graded by hand (their points, or "pending" while nobody has graded them, never a 0). The feedback
page renders it as HTML (:mod:`autograder.reports.feedback.exporter`), Gradescope's ``results.json`` as
text (:meth:`PartSummary.text`, :meth:`Summary.headline`): one summary, two views.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from autograder.grading import public, records
from autograder.grading.assignment import Assignment, AssignmentError
from autograder.grading.notebooks import grade_id, read
from autograder.grading.records import GradingRecord
from autograder.grading.verdict import CellSummary, Hint, MistakeNote
from autograder.reports.feedback.faults import PlainFault, describe
from autograder.reports.scores import StudentScores, read_scores


@dataclass(frozen=True)
class ManualAnswer:
    """An answer graded by hand: its points, None while it is not graded."""

    grade_id: str
    points: float | None
    max_points: float

    def text(self) -> str:
        """One line: the points, or that it is pending."""
        if self.points is None:
            return f"Written answer {self.grade_id}: graded by hand, pending ({self.max_points:g} points)\n"
        return f"Written answer {self.grade_id}: {self.points:g} / {self.max_points:g} points, graded by hand\n"


@dataclass(frozen=True)
class PartSummary:
    """One part of the sheet as graded."""

    id: str
    title: str
    cells: tuple[CellSummary, ...]
    manual: tuple[ManualAnswer, ...]
    faults: tuple[str, ...]

    @property
    def points(self) -> float:
        """Autograded points earned."""
        return sum(cell.points for cell in self.cells)

    @property
    def max_points(self) -> float:
        """Autograded points possible."""
        return sum(cell.max_points for cell in self.cells)

    def text(self) -> str:
        """The part as text: each cell's verdict and mistakes, faults, the answers graded by hand."""
        lines = [cell.text() for cell in self.cells] + [f"Fault: {fault}\n" for fault in self.faults]
        return "".join(lines + [answer.text() for answer in self.manual])


@dataclass(frozen=True)
class Summary:
    """A graded submission, part by part."""

    assignment: str
    parts: tuple[PartSummary, ...]
    #: Faults that belong to no part (a cell outside the graded parts, the whole notebook's time).
    faults: tuple[str, ...]
    late_penalty: float = 0.0
    #: How late it was submitted, as a sentence ("" when on time or not known).
    lateness: str = ""

    @property
    def points(self) -> float:
        """Autograded points earned."""
        return sum(part.points for part in self.parts)

    @property
    def max_points(self) -> float:
        """Autograded points possible."""
        return sum(part.max_points for part in self.parts)

    @property
    def manual(self) -> tuple[ManualAnswer, ...]:
        """Every answer graded by hand."""
        return tuple(answer for part in self.parts for answer in part.manual)

    @property
    def manual_points(self) -> float:
        """Points of the answers graded by hand so far."""
        return sum(answer.points for answer in self.manual if answer.points is not None)

    @property
    def graded_manual_max(self) -> float:
        """Points possible of the answers graded by hand so far."""
        return sum(answer.max_points for answer in self.manual if answer.points is not None)

    @property
    def pending_points(self) -> float:
        """Points of the answers not graded by hand yet."""
        return sum(answer.max_points for answer in self.manual if answer.points is None)

    @property
    def cells(self) -> dict[str, CellSummary]:
        """Every autograded cell by grade id."""
        return {cell.grade_id: cell for part in self.parts for cell in part.cells}

    def headline(self) -> list[str]:
        """The totals, autograded and by hand apart, as lines of text."""
        lines = [f"Autograded: {self.points:g} / {self.max_points:g} points."]
        if self.graded_manual_max:
            lines.append(f"Graded by hand: {self.manual_points:g} / {self.graded_manual_max:g} points.")
        if self.pending_points:
            lines.append(f"Graded by hand, pending: {self.pending_points:g} points.")
        if self.lateness:
            lines.append(self.lateness)
        if self.late_penalty:
            lines.append(f"Late submission: -{self.late_penalty:g} points.")
        return lines + [f"Fault: {fault}" for fault in self.faults]


def for_student(db_path: Path, assignment: Assignment, student: str, notebook: NotebookNode | None = None) -> Summary:
    """The summary of a student's graded submission, from the gradebook at ``db_path`` and the grading
    records next to it (``notebook``: the graded notebook, to place a cell's faults in their part)."""
    scores = read_scores(db_path, assignment, [student])[student]
    record = records.load(db_path.parent / records.RECORDS_DIRNAME, assignment.id, student)
    return summarize(scores, record, public.mistake_meanings(assignment.id), notebook)


def hints(assignment: Assignment) -> dict[str, Hint]:
    """For each autograded cell, the notebook's help nearest above it in its part: a markdown cell
    with a ``<details>`` hint block ("the hints of T12.2d"), else the part's text ("the text of ...").
    Found once per version of the source notebook (the feedback of every student asks)."""
    path = assignment.source_notebook
    key = (assignment.id, str(path), path.stat().st_mtime_ns)
    if key not in _HINTS:
        _HINTS[key] = _find_hints(assignment)
    return dict(_HINTS[key])


#: Hints found so far, by assignment, source notebook and its version.
_HINTS: dict[tuple[str, str, int], dict[str, Hint]] = {}


def _find_hints(assignment: Assignment) -> dict[str, Hint]:
    cells = read(assignment.source_notebook).cells
    found = {}
    for index, cell in enumerate(cells):
        if grade_id(cell) in assignment.by_grade_id:
            hint = _hint_above(assignment, cells[:index], assignment.part_of(grade_id(cell)))
            if hint:
                found[grade_id(cell)] = hint
    return found


def _hint_above(assignment: Assignment, above: Sequence[NotebookNode], part: str) -> Hint | None:
    title, text = assignment.title(part), None
    for cell in reversed(above):
        if _part(assignment, grade_id(cell)) not in (None, part):
            break
        if cell.cell_type == "markdown" and grade_id(cell):
            if "<details" in cell.source:
                return Hint(grade_id(cell), f"the hints of {title}")
            text = text or Hint(grade_id(cell), f"the text of {title}")
    return text


def _part(assignment: Assignment, cell_id: str) -> str | None:
    if not cell_id:
        return None
    try:
        return assignment.part_of(cell_id)
    except AssignmentError:
        return None


def cell_parts(assignment: Assignment, notebook: NotebookNode | None) -> list[str | None]:
    """The part of each cell of a notebook: that of the nearest cell at or above it with a grade id
    (None above the first part and below the last, e.g. in an ungraded exploration)."""
    parts: list[str | None] = []
    current: str | None = None
    for cell in notebook.cells if notebook is not None else []:
        if grade_id(cell):
            current = _part(assignment, grade_id(cell))
        parts.append(current)
    return parts


def summarize(
    scores: StudentScores,
    record: GradingRecord | None,
    meanings: Mapping[str, str],
    notebook: NotebookNode | None = None,
) -> Summary:
    """The summary of one graded submission. ``meanings``: the assignment's named mistakes;
    ``notebook``: the graded notebook, to place a cell's faults in their part."""
    assignment = scores.assignment
    located = cell_parts(assignment, notebook)
    faults = describe(
        record.faults if record else [],
        {cell.grade_id: cell.target for cell in assignment.autograded},
        assignment.part_of,
        lambda number: located[number - 1] if 0 < number <= len(located) else None,
    )
    where = hints(assignment)
    parts = tuple(_part_summary(part.id, scores, record, meanings, faults, where) for part in assignment.parts)
    general = tuple(fault.text for fault in faults if fault.part is None)
    return Summary(assignment.id, parts, general, scores.late_penalty, scores.lateness)


def _part_summary(
    part: str, scores: StudentScores, record: GradingRecord | None, meanings: Mapping[str, str],
    faults: Sequence[PlainFault], where: Mapping[str, Hint],
) -> PartSummary:  # fmt: skip
    assignment = scores.assignment
    cells = []
    for cell in assignment.autograded:
        if cell.part != part:
            continue
        graded = record.cells.get(cell.grade_id) if record else None
        problems = tuple(graded.problems) if graded else ("not graded (see the faults above)",)
        names = dict.fromkeys(graded.mistakes if graded else [])
        mistakes = tuple(MistakeNote(name, meanings.get(name, name), where.get(cell.grade_id)) for name in names)
        points = scores.by_cell.get(cell.grade_id, 0.0)
        cells.append(CellSummary(cell.grade_id, cell.target, points, cell.points, problems, mistakes))
    manual = tuple(
        ManualAnswer(grade_id, scores.manual.get(grade_id), points)
        for grade_id, points in assignment.manual.items()
        if assignment.part_of(grade_id) == part
    )
    mine = tuple(fault.text for fault in faults if fault.part == part)
    return PartSummary(part, assignment.title(part), tuple(cells), manual, mine)

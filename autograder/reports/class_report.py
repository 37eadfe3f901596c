"""What a grading run tells the instructor about the class: a grades CSV and a class report.

``grades.csv``: one row per student with their name, one column per part, and the totals
(autograded, by hand, final). ``class_report.md`` with ``score_distribution.png``: the score
distribution of every part, how often each named mistake occurred, and the submissions that need
a person (not graded, blank, very low, flagged, faulted). ``class_report.html``
(:mod:`autograder.reports.class_page`): the same and more, as one page to look at.
"""

from __future__ import annotations

import csv
import math
import string
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from matplotlib.figure import Figure

from autograder.grading import public, records
from autograder.grading.assignment import Assignment
from autograder.grading.notebooks import COURSE_ROOT
from autograder.reports import class_page
from autograder.reports.scores import StudentScores

#: The columns of ``grades.csv`` after the student, their name and the parts (then "error").
TOTAL_COLUMNS = ("autograded", "by hand", "late", "late penalty", "total")
#: Plots per row in the score distribution.
PLOTS_PER_ROW = 4


def write_grades_csv(scores: dict[str, StudentScores], assignment: Assignment, path: Path) -> Path:
    """One row per student: id, name, each part's points by title (autograded, and graded by hand
    so far), the autograded total, the points by hand ("pending" while a written answer is not
    graded), how late it was and the late penalty, and the final total ("pending" until then); or
    why it was not graded."""
    parts = [part.id for part in assignment.parts]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        titles = [assignment.title(part) for part in parts]
        writer.writerow(["student", "name", *titles, *TOTAL_COLUMNS, "error"])
        for student, result in sorted(scores.items()):
            if result.error:
                writer.writerow([student, result.name, *("" for _ in [*parts, *TOTAL_COLUMNS]), result.error])
                continue
            final = "pending" if result.final_total is None else f"{result.final_total:g}"
            points = [f"{result.final_part(part):g}" for part in parts]
            totals = [f"{result.total:g}", result.by_hand, result.late_by, f"{result.late_penalty:g}", final]
            writer.writerow([student, result.name, *points, *totals, ""])
    return path


def mistake_counts(scores: dict[str, StudentScores], assignment: Assignment, records_dir: Path) -> Counter:
    """How many students made each named mistake."""
    counts: Counter = Counter()
    for student in scores:
        record = records.load(records_dir, assignment.id, student)
        if record is not None:
            counts.update({mistake for cell in record.cells.values() for mistake in cell.mistakes})
    return counts


def plot_distribution(scores: dict[str, StudentScores], assignment: Assignment, path: Path) -> Path:
    """One histogram per part of the points students got, up to four in a row."""
    graded = [result for result in scores.values() if not result.error]
    maxima = assignment.points_by_part()
    columns = min(PLOTS_PER_ROW, len(maxima))
    rows = math.ceil(len(maxima) / columns)
    figure = Figure(figsize=(3 * columns, 2.5 * rows))
    axes = figure.subplots(rows, columns, sharey=True, squeeze=False)
    for axis, part in zip(axes.flat, maxima, strict=False):
        top = maxima[part]["auto"]
        counts = Counter(result.part(part) for result in graded)
        values = sorted({0.0, top, *counts})
        axis.bar([f"{value:g}" for value in values], [counts.get(value, 0) for value in values], color="tab:blue")
        axis.set_title(f"{assignment.title(part)} (max {top:g})")
    for axis in axes.flat[len(maxima) :]:
        axis.set_visible(False)
    for row in axes:
        row[0].set_ylabel("students")
    figure.suptitle(f"Autograded points per part ({len(graded)} students)")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def plain(text: str) -> str:
    """``text`` (a student's id, a file name, a reason that names one: a submission's bytes) as
    markdown that shows exactly that text on one line: every ASCII punctuation character escaped
    (CommonMark allows it for all of them), so that no link, image, HTML, entity or emphasis comes
    of it in any viewer."""
    return "".join(f"\\{char}" if char in string.punctuation else char for char in " ".join(str(text).split()))


def write_class_report(
    scores: dict[str, StudentScores],
    assignment: Assignment,
    workdir: Path,
    other: tuple[Mapping[str, StudentScores], Path] | None = None,
) -> Path:
    """``class_report.md`` (and its plot, ``grades.csv`` and ``class_report.html``) in ``workdir``;
    returns the report's path. ``other``: the scores and course folder of a run to compare with."""
    write_grades_csv(scores, assignment, workdir / "grades.csv")
    plot = plot_distribution(scores, assignment, workdir / "score_distribution.png")
    counts = mistake_counts(scores, assignment, workdir / records.RECORDS_DIRNAME)
    lines = [f"# Class report: {assignment.id}", "", f"![score distribution]({plot.name})", "", "## Named mistakes", ""]
    lines += [f"- `{mistake}`: {count} student(s)" for mistake, count in counts.most_common()] or ["- none"]
    lines += ["", "## For review", ""]
    reviews = class_page.needs_a_person(scores, assignment, workdir)
    lines += [f"- {plain(review.student)}: {review.kind}: {plain(review.reason)}" for review in reviews] or [
        "- nothing"
    ]
    report = workdir / "class_report.md"
    report.write_text("\n".join(lines) + "\n")
    meanings = public.mistake_meanings(assignment.id) if assignment.course_root == COURSE_ROOT else {}
    comparison = class_page.compare((scores, workdir), other, assignment, str(other[1])) if other else None
    class_page.write_class_page(scores, assignment, workdir, meanings, comparison, reviews)
    return report

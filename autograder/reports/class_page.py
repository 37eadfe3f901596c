"""The instructor's view of a class as one page: ``class_report.html``, self-contained.

It opens from disk with no network: the charts (Matplotlib) are inline PNG images, the table
sorts with a few lines of inline script, and every link goes to a file of the course folder
(a student's feedback HTML and grading record). Sections: the class at a glance (graded, not
graded, flagged, faults; mean, median and quartiles of the autograded total, and a histogram),
each part's share of full, partial and zero points, the named mistakes by part with what each
means, the submissions that need a person, and a table of students. Everything a student
controls (ids, fault texts) is escaped by Jinja2's autoescaping. It is made from the scores
read from a gradebook and the grading records, so it can be made again later from those.
"""

from __future__ import annotations

import base64
import io
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from autograder.grading import records
from autograder.grading.assignment import Assignment
from autograder.grading.notebooks import left_as_released, read
from autograder.reports.scores import StudentScores

TEMPLATE = Path(__file__).resolve().parent / "templates" / "class_report.html.j2"
SHARE_COLORS = {"full": "#2e7d32", "partial": "#f9a825", "zero": "#c62828"}
#: A submission below this share of the autograded points is listed for a person as "very low".
LOW_SHARE = 0.25


@dataclass
class Mistake:
    """A named mistake as the page lists it."""

    part: str
    name: str
    students: int
    meaning: str


@dataclass
class Comparison:
    """Another run of the same assignment (a regrade, another cohort) beside this one."""

    name: str
    #: Per part title: the share of students with full points here and there (None: no one graded).
    full_rates: dict[str, tuple[float | None, float | None]]
    #: Per (part title, mistake): how many students made it here and there.
    mistakes: dict[tuple[str, str], tuple[int, int]]


def compare(
    here: tuple[Mapping[str, StudentScores], Path],
    there: tuple[Mapping[str, StudentScores], Path],
    assignment: Assignment,
    name: str,
) -> Comparison:
    """Per-part success rates and mistake counts of two runs (scores and course folder of each)."""
    rates, counts = [], []
    for scores, workdir in (here, there):
        graded = [result for result in scores.values() if not result.error]
        shares = part_shares(graded, assignment)
        rates.append({title: share["full"] / len(graded) if graded else None for title, share in shares.items()})
        found = named_mistakes(scores, assignment, workdir / records.RECORDS_DIRNAME, {})
        counts.append({(assignment.title(m.part), m.name): m.students for m in found})
    keys = list(dict.fromkeys([*counts[0], *counts[1]]))
    return Comparison(
        name,
        {title: (rates[0][title], rates[1][title]) for title in rates[0]},
        {key: (counts[0].get(key, 0), counts[1].get(key, 0)) for key in keys},
    )


@dataclass
class Review:
    """A submission that needs a person, and why."""

    student: str
    name: str
    kind: str
    reason: str
    feedback: str | None
    record: str


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def totals_histogram(totals: list[float], maximum: float) -> str:
    """A histogram of autograded totals, as an inline image."""
    figure = Figure(figsize=(6, 2.6))
    axis = figure.subplots()
    axis.hist(totals, bins=min(20, max(1, int(maximum)) + 1), range=(0, maximum), color="tab:blue", rwidth=0.9)
    axis.set_xlabel(f"autograded total (of {maximum:g})")
    axis.set_ylabel("students")
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    return _png(figure)


def part_shares(graded: list[StudentScores], assignment: Assignment) -> dict[str, dict[str, int]]:
    """Per part title, in the sheet's order: how many students got full, partial and zero points."""
    shares = {}
    for part, points in assignment.points_by_part().items():
        top, got = points["auto"], [result.part(part) for result in graded]
        full = sum(1 for value in got if value >= top)
        zero = sum(1 for value in got if value <= 0)
        shares[assignment.title(part)] = {"full": full, "partial": len(got) - full - zero, "zero": zero}
    return shares


def shares_chart(shares: Mapping[str, Mapping[str, int]]) -> str:
    """One horizontal stacked bar per part (the sheet's order from the top), as an inline image."""
    figure = Figure(figsize=(6, 0.45 * len(shares) + 1.2))
    axis = figure.subplots()
    titles = list(shares)[::-1]
    left = [0] * len(titles)
    for kind, color in SHARE_COLORS.items():
        counts = [shares[title][kind] for title in titles]
        axis.barh(titles, counts, left=left, color=color, label=kind)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axis.set_xlabel("students")
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize="small", frameon=False)
    figure.tight_layout()
    return _png(figure)


def mistakes_chart(mistakes: list[Mistake], assignment: Assignment) -> str | None:
    """How many students made each named mistake, by part, as an inline image (None: no mistakes)."""
    if not mistakes:
        return None
    figure = Figure(figsize=(6, 0.4 * len(mistakes) + 1.0))
    axis = figure.subplots()
    labels = [f"{assignment.title(m.part)}: {m.name}" for m in mistakes][::-1]
    axis.barh(labels, [m.students for m in mistakes][::-1], color="tab:orange")
    axis.set_xlabel("students")
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    return _png(figure)


def named_mistakes(
    scores: Mapping[str, StudentScores], assignment: Assignment, records_dir: Path, meanings: Mapping[str, str]
) -> list[Mistake]:
    """Each named mistake with the number of students who made it, grouped by part in the sheet's order."""
    counts: Counter = Counter()
    for student in scores:
        record = records.load(records_dir, assignment.id, student)
        if record is not None:
            counts.update(
                {(assignment.part_of(grade_id), m) for grade_id, cell in record.cells.items() for m in cell.mistakes}
            )
    order = {part.id: index for index, part in enumerate(assignment.parts)}
    found = sorted(counts.items(), key=lambda item: (order.get(item[0][0], len(order)), -item[1], item[0][1]))
    return [Mistake(part, name, count, meanings.get(name.split("#")[0], "")) for (part, name), count in found]


def feedback_link(workdir: Path, assignment: Assignment, student: str) -> str | None:
    """The link from the page to a student's feedback page, when it was written."""
    relative = f"feedback/{student}/{assignment.id}/{assignment.id}.html"
    return quote(relative) if (workdir / relative).is_file() else None


def left_blank(workdir: Path, assignment: Assignment, students: Iterable[str]) -> set[str]:
    """The students whose graded notebook is the release notebook with no answer written in."""
    graded = {
        student: workdir / "autograded" / student / assignment.id / assignment.notebook_name for student in students
    }
    graded = {student: path for student, path in graded.items() if path.is_file()}
    if not graded:
        return set()
    release = read(assignment.release_notebook)
    return {student for student, path in graded.items() if left_as_released(read(path), release)}


def needs_a_person(scores: Mapping[str, StudentScores], assignment: Assignment, workdir: Path) -> list[Review]:
    """Submissions a TA should look at first, with links into the course folder: not graded, graded
    from several uploads the download could not order, left blank, very low (below
    :data:`LOW_SHARE` of the autograded points), flagged and faulted; a student once for each reason."""
    maximum = sum(cell.points for cell in assignment.autograded)
    blank = left_blank(workdir, assignment, [student for student, result in scores.items() if not result.error])
    reviews = []
    for student, result in sorted(scores.items()):
        record = f"{records.RECORDS_DIRNAME}/{assignment.id}/{quote(student)}.json"
        reasons = [("not graded", result.error)] if result.error else []
        if student in blank:
            reasons.append(("blank", "no answer was written in the notebook"))
        elif not result.error and result.total < LOW_SHARE * maximum:
            reasons.append(("very low", f"{result.total:g} of {maximum:g} autograded points"))
        reasons += [("which upload", result.which_upload)] if result.which_upload else []
        reasons += [("flagged", flag) for flag in result.flags] + [("fault", fault) for fault in result.faults]
        link = feedback_link(workdir, assignment, student)
        reviews += [Review(student, result.name, kind, reason, link, record) for kind, reason in reasons]
    kinds = ("not graded", "which upload", "blank", "very low", "flagged", "fault")
    order = {kind: index for index, kind in enumerate(kinds)}
    return sorted(reviews, key=lambda review: order[review.kind])


def at_a_glance(scores: Mapping[str, StudentScores]) -> dict[str, object]:
    """Counts and the distribution of autograded totals."""
    totals = sorted(result.total for result in scores.values() if not result.error)
    finals = [result.final_total for result in scores.values() if not result.error]
    quartiles = statistics.quantiles(totals, n=4, method="inclusive") if len(totals) > 1 else totals * 3
    return {
        "graded": len(totals),
        "not_graded": sum(1 for result in scores.values() if result.error),
        "flagged": sum(1 for result in scores.values() if result.flags),
        "faulted": sum(1 for result in scores.values() if result.faults),
        "mean": statistics.fmean(totals) if totals else None,
        "quartiles": quartiles if totals else None,
        "totals": totals,
        # once every written answer is graded
        "final_mean": statistics.fmean(finals) if finals and None not in finals else None,
    }


def write_class_page(
    scores: Mapping[str, StudentScores],
    assignment: Assignment,
    workdir: Path,
    meanings: Mapping[str, str],
    comparison: Comparison | None = None,
    reviews: list[Review] | None = None,
) -> Path:
    """``class_report.html`` in ``workdir``; ``meanings``: the assignment's mistake catalogue;
    ``comparison``: another run to show beside this one; ``reviews``: :func:`needs_a_person` of
    these scores when the caller has it already (it reads every graded notebook)."""
    graded = [result for result in scores.values() if not result.error]
    maximum = sum(points["auto"] for points in assignment.points_by_part().values())
    final_maximum = sum(points["auto"] + points["manual"] for points in assignment.points_by_part().values())
    glance = at_a_glance(scores)
    shares = part_shares(graded, assignment)
    mistakes = named_mistakes(scores, assignment, workdir / records.RECORDS_DIRNAME, meanings)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE.parent), autoescape=True, undefined=jinja2.StrictUndefined
    )
    page = environment.get_template(TEMPLATE.name).render(
        assignment=assignment,
        parts=[(part.id, assignment.title(part.id)) for part in assignment.parts],
        maximum=maximum,
        final_maximum=final_maximum,
        glance=glance,
        histogram=totals_histogram(glance["totals"], maximum) if graded else None,
        shares=shares,
        shares_chart=shares_chart(shares) if graded else None,
        mistakes=mistakes,
        mistakes_chart=mistakes_chart(mistakes, assignment),
        reviews=needs_a_person(scores, assignment, workdir) if reviews is None else reviews,
        students=[
            (result, feedback_link(workdir, assignment, result.student))
            for result in sorted(scores.values(), key=lambda result: result.student)
        ],
        pending=sum(1 for result in scores.values() if not result.error and result.pending),
        comparison=comparison,
    )
    path = workdir / "class_report.html"
    path.write_text(page)
    return path

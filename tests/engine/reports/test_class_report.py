"""Unit tests of what a grading run tells the instructor about the class (:mod:`autograder.reports.class_report`):
the grades CSV, the score distribution plot for 1, 3 and 9 parts, mistake counts and the class report,
on synthetic assignments and scores made in memory."""

from __future__ import annotations

import csv
import struct
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from matplotlib.figure import Figure
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder.grading.assignment import Assignment
from autograder.grading.records import CellRecord, GradingRecord
from autograder.reports import class_report
from autograder.reports.class_report import TOTAL_COLUMNS
from autograder.reports.scores import StudentScores
from autograder.steps import html_check


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """Every figure the module makes, kept for inspection."""
    made: list[Figure] = []

    class Kept(Figure):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(class_report, "Figure", Kept)
    return made


def test_grades_csv(toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path) -> None:
    path = class_report.write_grades_csv(toy_scores, toy, tmp_path / "grades.csv")
    assert path == tmp_path / "grades.csv"
    with path.open(newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["student", "name", "Question 1", "Question 1b", "Question 2", *TOTAL_COLUMNS, "error"],
            ["alice", "", "2", "2.5", "0", "4.5", "pending", "", "0", "pending", ""],
            ["bob", "", "", "", "", "", "", "", "", "", "not in the gradebook"],
            ["carol", "Carol Chen", "2", "4", "5.5", "8", "3", "2h 30min", "1", "10.5", ""],
        ]


@pytest.mark.parametrize(("count", "grid", "pixels"), [(1, 1, (300, 250)), (3, 3, (900, 250)), (9, 12, (1200, 750))])
def test_plot_distribution_has_one_histogram_per_part(
    count: int,
    grid: int,
    pixels: tuple[int, int],
    make_assignment: Callable[..., Assignment],
    figures: list[Figure],
    tmp_path: Path,
) -> None:
    assignment = make_assignment(
        [(f"p{i}", f"Part {i}") for i in range(count)], {f"p{i}_t": i + 1 for i in range(count)}, assignment_id="many"
    )
    full = {f"p{i}_t": float(i + 1) for i in range(count)}
    scores = {
        "full": StudentScores("full", assignment, by_cell=full),
        "zero": StudentScores("zero", assignment, by_cell=dict.fromkeys(full, 0.0)),
        "also_full": StudentScores("also_full", assignment, by_cell=full),
        "lost": StudentScores("lost", assignment, error="not in the gradebook"),
    }
    path = class_report.plot_distribution(scores, assignment, tmp_path / "plot.png")
    assert path == tmp_path / "plot.png"
    assert png_size(path) == pixels
    assert path.stat().st_size > 5_000
    (figure,) = figures
    shown = [axis for axis in figure.axes if axis.get_visible()]
    assert [axis.get_title() for axis in shown] == [f"Part {i} (max {i + 1})" for i in range(count)]
    assert len(figure.axes) == grid  # up to four in a row; the rest of the last row is hidden
    assert figure.get_suptitle() == "Autograded points per part (3 students)"
    last = shown[-1]
    assert [label.get_text() for label in last.get_xticklabels()] == ["0", f"{count}"]
    assert [bar.get_height() for bar in last.patches] == [1, 2]  # the ungraded student is left out


def test_plot_distribution_shows_every_score_between_zero_and_the_maximum(
    toy_scores: dict[str, StudentScores], toy: Assignment, figures: list[Figure], tmp_path: Path
) -> None:
    class_report.plot_distribution(toy_scores, toy, tmp_path / "plot.png")
    q1_b = figures[0].axes[1]
    assert q1_b.get_title() == "Question 1b (max 4)"
    assert [label.get_text() for label in q1_b.get_xticklabels()] == ["0", "2.5", "4"]
    assert [bar.get_height() for bar in q1_b.patches] == [0, 1, 1]


def test_mistake_counts_count_students_not_cells(
    toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path
) -> None:
    def cell(*mistakes: str) -> CellRecord:
        return CellRecord(0.0, 1.0, ["wrong"] * len(mistakes), list(mistakes), True, False)

    GradingRecord("alice", "toy", 3, {"q1_sum": cell("m1"), "q2_mean": cell("m1", "m2")}).save(tmp_path)
    GradingRecord("carol", "toy", 7, {"q1_sum": cell("m1")}).save(tmp_path)
    GradingRecord("zed", "toy", 9, {"q1_sum": cell("m3")}).save(tmp_path)  # not in the scores
    assert class_report.mistake_counts(toy_scores, toy, tmp_path) == {"m1": 2, "m2": 1}


def test_class_report(toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path) -> None:
    records_dir = tmp_path / "grading_records"
    GradingRecord("alice", "toy", 3, {"q1_sum": CellRecord(0.0, 2.0, ["x"], ["m1", "m2"], True, False)}).save(
        records_dir
    )
    GradingRecord("carol", "toy", 7, {"q1_sum": CellRecord(0.0, 2.0, ["x"], ["m1"], True, False)}).save(records_dir)
    report = class_report.write_class_report(toy_scores, toy, tmp_path)
    assert report == tmp_path / "class_report.md"
    assert report.read_text() == (
        "# Class report: toy\n\n"
        "![score distribution](score_distribution.png)\n\n"
        "## Named mistakes\n\n"
        "- `m1`: 2 student(s)\n"
        "- `m2`: 1 student(s)\n\n"
        "## For review\n\n"
        "- bob: not graded: not in the gradebook\n"
        "- carol: flagged: q1\\_sum\\: tampering\\?\n"
        "- carol: fault: timeout\\: cell 3\n"
        "- carol: fault: memory limit\\: cell 5\n"
    )
    assert (tmp_path / "grades.csv").read_text().splitlines()[0].startswith("student,name,Question 1,")
    assert png_size(tmp_path / "score_distribution.png") == (900, 250)


def test_class_report_with_nothing_to_report(
    toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path
) -> None:
    report = class_report.write_class_report({"alice": toy_scores["alice"]}, toy, tmp_path)
    assert report.read_text().endswith("## Named mistakes\n\n- none\n\n## For review\n\n- nothing\n")


HOSTILE = "x](javascript:alert(1)) <img src=x onerror=alert(1)> &lt;script&gt; **bold** `code`\n# heading"


def test_the_class_reports_markdown_shows_a_hostile_id_and_reason_as_text(
    toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path
) -> None:
    """A student's id and a reason come from what was submitted (file names in an LMS download):
    rendered as nbconvert renders markdown, they are text, word for word, and nothing else."""
    hostile = StudentScores(HOSTILE, toy, error=f"unreadable file {HOSTILE}.ipynb")
    report = class_report.write_class_report({HOSTILE: hostile}, toy, tmp_path).read_text()
    page = markdown2html_mistune(report)
    assert html_check.problem(page) is None
    item = list(html5lib.parseFragment(page, treebuilder="etree", namespaceHTMLElements=False).iter("li"))[-1]
    one_line = " ".join(HOSTILE.split())
    assert "".join(item.itertext()) == f"{one_line}: not graded: unreadable file {one_line}.ipynb"
    assert [element.tag for element in item.iter()] == ["li"]  # no link, image, emphasis or code

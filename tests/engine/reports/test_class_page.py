"""Unit tests of the class page (:mod:`autograder.reports.class_page`) on a synthetic 3-part assignment:
the submissions that need a person first (with names and links), the numbers at a glance, the
shares per part, mistakes by part with their meaning, the table with final totals, and that what
a student controls is escaped."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from autograder.grading.assignment import Assignment
from autograder.grading.notebooks import read
from autograder.grading.records import CellRecord, GradingRecord
from autograder.reports import class_page
from autograder.reports.scores import StudentScores


class Page(HTMLParser):
    """The parts of the page the tests look at: section ids, images, links, table cells."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []
        self.cells: list[str] = []
        self.scripts = 0
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "section":
            self.sections.append(attributes["id"])
        elif tag == "img":
            self.images.append(attributes["src"])
        elif tag == "a":
            self.links.append(attributes["href"])
        elif tag == "script":
            self.scripts += 1
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def page(toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path) -> tuple[Page, str]:
    records_dir = tmp_path / "grading_records"
    mistaken = CellRecord(0.0, 2.0, ["x"], ["m1", "m2"], True, False)
    GradingRecord("alice", "toy", 3, {"q1_sum": mistaken, "q2_mean": mistaken}).save(records_dir)
    GradingRecord("carol", "toy", 7, {"q2_mean": CellRecord(0.0, 2.0, ["x"], ["m1"], True, False)}).save(records_dir)
    for student in ("alice", "carol"):  # bob was not graded: he has no feedback page
        feedback = tmp_path / "feedback" / student / "toy" / "toy.html"
        feedback.parent.mkdir(parents=True)
        feedback.write_text("<p>feedback</p>")
    path = class_page.write_class_page(toy_scores, toy, tmp_path, {"m1": "one thing", "m2": "another"})
    assert path == tmp_path / "class_report.html"
    text = path.read_text()
    return Page(text), text


def test_every_section_is_there_in_order_with_inline_charts_only(page: tuple[Page, str]) -> None:
    parsed, text = page
    assert parsed.sections == ["review", "glance", "parts", "mistakes", "table"]
    assert len(parsed.images) == 3 and all(src.startswith("data:image/png;base64,") for src in parsed.images)
    assert "http://" not in text and "https://" not in text  # opens from disk, no network
    assert parsed.scripts == 1  # the table's sorting, inline


def test_the_class_at_a_glance(page: tuple[Page, str]) -> None:
    cells = page[0].cells
    start = cells.index("students graded")
    glance = dict(zip(cells[start : start + 14 : 2], cells[start + 1 : start + 14 : 2], strict=True))
    assert glance == {
        "students graded": "2",
        "not graded": "1",
        "flagged for review": "1",
        "with faults": "1",
        "written answers not graded by hand yet": "1",
        "mean autograded total (of 8)": "6.25",  # alice 4.5, carol 8
        "quartiles: 25 %, median, 75 %": "5.38, 6.25, 7.12",
    }


def test_parts_in_the_sheets_order_with_full_partial_and_zero(page: tuple[Page, str]) -> None:
    cells = page[0].cells
    start = cells.index("part")
    assert cells[start : start + 16] == [
        "part", "full", "partial", "zero",
        "Question 1", "2", "0", "0",
        "Question 1b", "1", "1", "0",
        "Question 2", "1", "0", "1",
    ]  # fmt: skip


def test_named_mistakes_by_part_with_what_they_mean(page: tuple[Page, str]) -> None:
    cells = page[0].cells
    start = cells.index("mistake") - 1
    assert cells[start : start + 16] == [
        "part", "mistake", "students", "what it is",
        "Question 1", "m1", "1", "one thing",
        "Question 1", "m2", "1", "another",
        "Question 2", "m1", "2", "one thing",
    ]  # fmt: skip


def test_every_submission_that_needs_a_person_links_its_feedback_and_record(page: tuple[Page, str]) -> None:
    parsed, _ = page
    assert parsed.links[:7] == [
        "grading_records/toy/bob.json",  # not graded: no feedback page to link
        "feedback/carol/toy/toy.html", "grading_records/toy/carol.json",
        "feedback/carol/toy/toy.html", "grading_records/toy/carol.json",
        "feedback/carol/toy/toy.html", "grading_records/toy/carol.json",
    ]  # fmt: skip
    start = parsed.cells.index("why") - 2
    assert parsed.cells[start : start + 10] == [
        "student", "name", "why", "reason", "links",
        "bob", "", "not graded", "not in the gradebook", "grading record",
    ]  # fmt: skip
    assert ["carol", "Carol Chen", "flagged", "q1_sum: tampering?"] == parsed.cells[start + 10 : start + 14]


def test_unordered_uploads_blank_and_very_low_submissions_come_first_after_the_ungraded(
    toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path
) -> None:
    """Blank: the graded notebook is the release notebook (nothing written, whatever it scored);
    very low: below a quarter of the autograded points."""
    release = read(toy.source_notebook)
    toy.release_notebook.parent.mkdir(parents=True)
    nbformat.write(release, toy.release_notebook)
    answered = copy.deepcopy(release)
    answered.cells[1].source = "answer = 2"
    for student, notebook in {"dan": release, "erin": answered, "alice": answered}.items():
        graded = tmp_path / "autograded" / student / "toy" / "toy.ipynb"
        graded.parent.mkdir(parents=True)
        nbformat.write(notebook, graded)
    toy_scores["dan"] = StudentScores("dan", toy, by_cell={"q1_sum": 2.0}, name="Dan Doe")  # scored, but blank
    toy_scores["erin"] = StudentScores("erin", toy, by_cell={"q1_sum": 1.5})  # 1.5 < 8 / 4
    toy_scores["alice"].which_upload = "2 notebooks uploaded (toy.ipynb, toy (1).ipynb); toy.ipynb is graded by a rule"
    reviews = class_page.needs_a_person(toy_scores, toy, tmp_path)
    assert [(review.student, review.kind) for review in reviews] == [
        ("bob", "not graded"),
        ("alice", "which upload"),
        ("dan", "blank"),
        ("erin", "very low"),
        ("carol", "flagged"),
        ("carol", "fault"),
        ("carol", "fault"),
    ]
    assert reviews[2].name == "Dan Doe" and reviews[3].reason == "1.5 of 8 autograded points"


def test_the_students_table_has_each_part_the_total_points_by_hand_and_the_review(
    toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path
) -> None:
    cells = Page(class_page.write_class_page(toy_scores, toy, tmp_path, {}).read_text()).cells
    start = cells.index("autograded") - 5
    assert cells[start : start + 44] == [
        "student", "name", "Question 1", "Question 1b", "Question 2", "autograded", "by hand", "late", "total",
        "review",
        "alice", "", "2", "2.5", "0", "4.5", "pending", "", "pending", "-",
        "bob", "", "", "", "", "", "", "", "", "not graded",
        # q2: 2.5 autograded as raised in the formgrader, 3 by hand; the total less the late penalty
        "carol", "Carol Chen", "2", "4", "5.5", "8", "3", "2h 30min (-1)", "10.5", "FLAGGED, 2 fault(s)",
    ]  # fmt: skip


def test_what_a_student_controls_is_escaped(toy: Assignment, toy_scores: dict, tmp_path: Path) -> None:
    hostile = '<img src=x onerror="alert(1)">'
    scores = {hostile: StudentScores(hostile, toy, error=hostile, name=hostile)}
    feedback = tmp_path / "feedback" / hostile / "toy" / "toy.html"
    feedback.parent.mkdir(parents=True)
    feedback.write_text("<p>feedback</p>")
    text = class_page.write_class_page(scores, toy, tmp_path, {}).read_text()
    assert hostile not in text and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in text
    assert 'href="feedback/%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E/toy/toy.html"' in text


def test_a_comparison_shows_both_runs_full_point_rates_and_mistake_counts(
    toy_scores: dict[str, StudentScores], toy: Assignment, tmp_path: Path
) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    mistaken = CellRecord(0.0, 2.0, ["x"], ["m1", "m2"], True, False)
    GradingRecord("alice", "toy", 3, {"q1_sum": mistaken, "q2_mean": mistaken}).save(here / "grading_records")
    GradingRecord("carol", "toy", 7, {"q1_sum": CellRecord(0.0, 2.0, ["x"], ["m3"], True, False)}).save(
        there / "grading_records"
    )
    comparison = class_page.compare((toy_scores, here), ({"carol": toy_scores["carol"]}, there), toy, "last year")
    assert comparison.full_rates == {"Question 1": (1.0, 1.0), "Question 1b": (0.5, 1.0), "Question 2": (0.5, 1.0)}
    assert comparison.mistakes == {
        ("Question 1", "m1"): (1, 0),
        ("Question 1", "m2"): (1, 0),
        ("Question 2", "m1"): (1, 0),
        ("Question 2", "m2"): (1, 0),
        ("Question 1", "m3"): (0, 1),
    }
    parsed = Page(class_page.write_class_page(toy_scores, toy, here, {}, comparison).read_text())
    assert parsed.sections == ["review", "glance", "parts", "mistakes", "compare", "table"]
    start = parsed.cells.index("full points here") - 1
    rows = parsed.cells[start : start + 12]
    assert rows == [
        "part", "full points here", "full points there",
        "Question 1", "100 %", "100 %", "Question 1b", "50 %", "100 %", "Question 2", "50 %", "100 %",
    ]  # fmt: skip
    m3 = parsed.cells.index("m3")
    assert parsed.cells[m3 - 1 : m3 + 3] == ["Question 1", "m3", "0", "1"]

"""The class page of the sample class in headless Chromium, opened from disk with the network
blocked: every section and chart is there, the table sorts, and a screenshot is kept in
tests/artifacts/class_report.png (or $TEST_ARTIFACTS)."""

from __future__ import annotations

from autograder.commands.grade import GradingRun
from tests.browser_kit import ARTIFACTS, offline_page

SECTIONS = [
    "Submissions that need a person",
    "The class at a glance",
    "Parts: full, partial and zero points",
    "Named mistakes",
    "Students",
]


def test_the_class_page_shows_every_section_offline_and_its_table_sorts(graded_class: GradingRun) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_url = (graded_class.workdir / "class_report.html").as_uri()
    with offline_page(1000, 900) as (page, outside):
        page.goto(page_url)
        assert page.locator("h2").all_inner_texts() == SECTIONS
        widths = page.locator("img").evaluate_all("images => images.map(image => image.naturalWidth)")
        assert len(widths) == 3 and min(widths) > 100  # every chart drew
        column = page.locator("#students th").all_inner_texts().index("autograded")

        def order() -> list[str]:
            return page.locator("#students tbody tr td:first-child").all_inner_texts()

        def totals() -> list[float]:
            cells = page.locator(f"#students tbody tr td:nth-child({column + 1})").all_inner_texts()
            return [float(cell) for cell in cells]

        page.locator("#students th", has_text="autograded").click()
        ascending = totals()
        page.locator("#students th", has_text="autograded").click()
        descending = totals()
        assert ascending == sorted(ascending) and descending == sorted(ascending, reverse=True)
        assert order()[0] == "correct" and order()[-1] == "blank"
        page.screenshot(path=ARTIFACTS / "class_report.png", full_page=True)
        assert outside == []
    assert (ARTIFACTS / "class_report.png").stat().st_size > 20_000

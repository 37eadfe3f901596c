"""Grading the written answers by hand in the real formgrader, as a TA does, and what follows.

nbgrader's own commands autograde a correct submission in a copy of the course; real JupyterLab
serves the course and Chromium opens the submission in nbgrader's formgrader with the
instructor's token. The TA types a score and a comment for each written answer; the formgrader
saves them in the gradebook. Then plain ``nbgrader generate_feedback`` writes the feedback page,
whose summary now counts the answers graded by hand instead of "pending", and shows the comments.
A screenshot of the formgrader is kept in tests/artifacts (or $TEST_ARTIFACTS).
"""

from __future__ import annotations

import html
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from playwright.sync_api import sync_playwright

from tests.browser_kit import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, jupyterlab
from tests.conftest import SAMPLES, SHEET12, copy_course_repository, nbgrader

STUDENT = "correct"
BY_HAND = {"t12_1_1_justification": (2.0, "Clear and short."), "t12_2f_discussion": (1.0, "Say why it may go up.")}


def manual_scores(course: Path) -> dict[str, float | None]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook("sheet12", "sheet12", STUDENT)
        return {grade.name: grade.manual_score for grade in submission.grades if grade.name in BY_HAND}


def test_written_answers_graded_in_the_formgrader_reach_the_feedback(tmp_path: Path) -> None:
    assert sorted(BY_HAND) == sorted(SHEET12.manual)
    course = copy_course_repository(tmp_path)
    assert nbgrader(course, "generate_assignment", "sheet12", "--force").returncode == 0
    target = course / "submitted" / STUDENT / "sheet12" / "sheet12.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(SHEET12.submission(SAMPLES[STUDENT]), target)
    assert nbgrader(course, "autograde", "sheet12").returncode == 0
    assert manual_scores(course) == dict.fromkeys(BY_HAND)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission_id = gradebook.find_submission_notebook("sheet12", "sheet12", STUDENT).id

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with jupyterlab(course) as (base, token), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab?token={token}")  # logs in: the formgrader's own calls carry the cookie
            page.wait_for_function("document.cookie.includes('_xsrf')")
            page.goto(f"{base}/formgrader/submissions/{submission_id}/")
            for grade_id, (score, comment) in BY_HAND.items():
                page.locator(f"input.score#{grade_id}").wait_for(timeout=60_000)
                page.locator(f"input.score#{grade_id}").fill(f"{score:g}")
                page.locator(f"input.score#{grade_id}").press("Tab")
                page.locator(f"textarea#{grade_id}-comment").fill(comment)
                page.locator(f"textarea#{grade_id}-comment").press("Tab")
            deadline = time.monotonic() + 30
            while manual_scores(course) != {grade_id: score for grade_id, (score, _) in BY_HAND.items()}:
                assert time.monotonic() < deadline, manual_scores(course)
                page.wait_for_timeout(250)
            page.locator("input.score#t12_2f_discussion").scroll_into_view_if_needed()
            page.screenshot(path=ARTIFACTS / "formgrader_manual.png")
        finally:
            browser.close()

    assert nbgrader(course, "generate_feedback", "sheet12").returncode == 0
    page_html = html.unescape((course / "feedback" / STUDENT / "sheet12" / "sheet12.html").read_text())
    assert "Autograded: 20 / 20 points." in page_html and "Graded by hand: 3 / 4 points." in page_html
    assert "graded by hand, pending" not in page_html
    assert all(comment in page_html for _, comment in BY_HAND.values())

"""A submission full of HTML and script, opened where people look at submissions.

nbgrader's own commands grade it in a copy of the course (``autograde``, ``generate_feedback``);
then real JupyterLab with nbgrader's formgrader serves the course, and Chromium opens the
submission in the formgrader (with the instructor's token, as an instructor would) and its
feedback HTML from disk with the network blocked. No planted script may run, no request may
leave the page for the attack, and no file may appear in the course.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import Page, sync_playwright

from autograder.grading.notebooks import read
from autograder.steps import safe_html
from tests.browser_kit import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, jupyterlab
from tests.conftest import ATTACKS, SAMPLES, SHEET12, copy_course_repository, nbgrader

ATTACKER = "browser_attack"


def run_nbgrader(course: Path, *args: str) -> None:
    done = nbgrader(course, *args)
    assert done.returncode == 0, (args, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the course where nbgrader graded the attack and a correct control, with feedback."""
    course = copy_course_repository(tmp_path_factory.mktemp("render-safety"))
    run_nbgrader(course, "generate_assignment", "sheet12", "--force")
    for student, sample in ((ATTACKER, ATTACKS[ATTACKER]), ("correct", SAMPLES["correct"])):
        submission = SHEET12.submission(sample)
        target = course / "submitted" / student / "sheet12" / "sheet12.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(submission, target)
    run_nbgrader(course, "autograde", "sheet12")
    run_nbgrader(course, "generate_feedback", "sheet12")
    return course


def is_locked(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("locked"))


def planted_files(course: Path) -> list[Path]:
    return sorted(course.rglob("PWNED*"))


def watch(page: Page) -> list[str]:
    """Every request the page makes, by URL."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def settle(page: Page) -> None:
    """Give planted scripts (onerror, onload) time to run: hover, scroll and wait."""
    page.mouse.move(200, 200)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(3000)


def click_every_link(page: Page, url: str, ready: str) -> tuple[int, list[str]]:
    """Click each link of the page at ``url`` in turn (a click event, as a person's click sends,
    also on links scrolled out of sight), going back to the page when a click left it; how many
    links there were, and the traces of planted scripts seen on the page after each click."""
    pwned: list[str] = []
    page.context.on("page", lambda opened: opened.close())  # a link opening a window
    count = page.locator("a[href]").count()
    for index in range(count):
        page.locator("a[href]").nth(index).dispatch_event("click")
        page.wait_for_timeout(150)
        if page.url.split("#")[0] != url.split("#")[0]:
            page.goto(url)
            page.get_by_text(ready).first.wait_for(timeout=60_000)
        pwned += page.evaluate("window.__pwned || []")
    return count, pwned


def test_autograding_stores_the_attack_inert(graded_course: Path) -> None:
    stored = read(graded_course / "autograded" / ATTACKER / "sheet12" / "sheet12.ipynb")
    written = [cell for cell in stored.cells if cell.cell_type == "markdown" and not is_locked(cell)]
    assert all(safe_html.markdown_is_inert(cell.source) for cell in written)
    # both written answers and the two added cells: kept as text, under the note
    assert sum(cell.source.startswith(safe_html.NOTE) and "PWNED" in cell.source for cell in written) == 4
    assert "title" not in stored.metadata
    outputs = [output for cell in stored.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    mimes = {mime for output in outputs for mime in output.get("data", {})}
    assert not mimes & {"application/javascript", "image/svg+xml", "text/markdown"}
    assert all(output.get("metadata", {}) == {} for output in outputs if "data" in output)
    raw = [cell for cell in stored.cells if cell.cell_type == "raw"]
    assert raw and all("raw_mimetype" not in cell.metadata and "onerror" not in cell.source for cell in raw)


def test_the_formgrader_runs_no_script_of_the_submission(graded_course: Path) -> None:
    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as gradebook:
        submission_id = gradebook.find_submission_notebook("sheet12", "sheet12", ATTACKER).id
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with jupyterlab(graded_course) as (base, token), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        requests = watch(page)
        url = f"{base}/formgrader/submissions/{submission_id}/?token={token}"
        page.goto(url)
        page.get_by_text("All true but the last").first.wait_for(timeout=60_000)
        settle(page)
        pwned = page.evaluate("window.__pwned || []")
        page.screenshot(path=ARTIFACTS / "formgrader_attack.png", full_page=False)
        clicked, pwned_by_clicks = click_every_link(page, url, "All true but the last")
        browser.close()
    assert pwned == [] and pwned_by_clicks == []
    assert clicked >= 10  # the sheet's anchors, the navigation, the attack's links shown as text are not links
    assert [url for url in requests if "PWNED" in url] == []
    assert planted_files(graded_course) == []


def test_the_feedback_runs_no_script_of_the_submission(graded_course: Path) -> None:
    feedback = graded_course / "feedback" / ATTACKER / "sheet12" / "sheet12.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        requests = watch(page)
        page.goto(feedback.as_uri())
        page.get_by_text("All true but the last").first.wait_for(timeout=30_000)
        settle(page)
        pwned = page.evaluate("window.__pwned || []")
        clicked, pwned_by_clicks = click_every_link(page, feedback.as_uri(), "All true but the last")
        browser.close()
    assert pwned == [] and pwned_by_clicks == []
    assert clicked >= 10
    assert [url for url in requests if "PWNED" in url or url.startswith("javascript:")] == []

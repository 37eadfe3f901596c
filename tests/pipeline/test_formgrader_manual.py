"""The instructor's loop after autograding, as the README tells it, in the real formgrader.

The README's commands, word for word: ``python -m autograder grade FOLDER --workdir W`` grades
two students; JupyterLab is started in ``W`` (``cd W`` and ``jupyter lab``: the grade run wrote
``W/nbgrader_config.py``, so nbgrader's formgrader finds the course there); Chromium opens each
submission in the formgrader with the instructor's token and a TA types a score and a comment for
each written answer, which the formgrader saves in ``W``'s gradebook. Then ``python -m autograder
finalize --workdir W`` writes the feedback pages (the points by hand and the comments), the class
report and ``grades.csv`` with final totals. Screenshots of the formgrader and of the final class
report are kept in tests/artifacts (or $TEST_ARTIFACTS).
"""

from __future__ import annotations

import csv
import html
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from playwright.sync_api import sync_playwright

from autograder.grading.notebooks import COURSE_ROOT
from tests.browser_kit import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, jupyterlab, offline_page
from tests.conftest import SAMPLES, SHEET12

#: Each student's scores and comments for the written answers, as a TA types them.
BY_HAND = {
    "correct": {"t12_1_1_justification": (2.0, "Clear and short."), "t12_2f_discussion": (1.0, "Say why it goes up.")},
    "transposed_dW1": {"t12_1_1_justification": (1.0, "Half of it."), "t12_2f_discussion": (0.0, "Name the step.")},
}


def manual_scores(workdir: Path, student: str) -> dict[str, float | None]:
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook("sheet12", "sheet12", student)
        return {grade.name: grade.manual_score for grade in submission.grades if grade.name in SHEET12.manual}


def submission_ids(workdir: Path) -> dict[str, str]:
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gradebook:
        return {student: gradebook.find_submission_notebook("sheet12", "sheet12", student).id for student in BY_HAND}


def command(*args: str) -> subprocess.CompletedProcess:
    """The project's command line, as the README runs it from the course folder."""
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args], cwd=COURSE_ROOT, capture_output=True, text=True, timeout=900
    )


def test_written_answers_graded_in_the_formgrader_reach_the_feedback_and_the_final_totals(tmp_path: Path) -> None:
    assert all(sorted(answers) == sorted(SHEET12.manual) for answers in BY_HAND.values())
    folder, workdir = tmp_path / "submissions", tmp_path / "grading"
    folder.mkdir()
    for student in BY_HAND:
        nbformat.write(SHEET12.submission(SAMPLES[student]), folder / f"{student}.ipynb")
    graded = command("grade", str(folder), "--assignment", "sheet12", "--workdir", str(workdir))
    assert graded.returncode == 0, graded.stderr
    assert all(manual_scores(workdir, student) == dict.fromkeys(SHEET12.manual) for student in BY_HAND)
    with open(workdir / "grades.csv") as handle:
        assert {row["student"]: row["total"] for row in csv.DictReader(handle)} == dict.fromkeys(BY_HAND, "pending")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with jupyterlab(workdir) as (base, token), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab?token={token}")  # logs in: the formgrader's own calls carry the cookie
            page.wait_for_function("document.cookie.includes('_xsrf')")
            for student, submission_id in submission_ids(workdir).items():
                page.goto(f"{base}/formgrader/submissions/{submission_id}/")
                for grade_id, (score, comment) in BY_HAND[student].items():
                    page.locator(f"input.score#{grade_id}").wait_for(timeout=60_000)
                    page.locator(f"input.score#{grade_id}").fill(f"{score:g}")
                    page.locator(f"input.score#{grade_id}").press("Tab")
                    page.locator(f"textarea#{grade_id}-comment").fill(comment)
                    page.locator(f"textarea#{grade_id}-comment").press("Tab")
                typed = {grade_id: score for grade_id, (score, _) in BY_HAND[student].items()}
                deadline = time.monotonic() + 30
                while manual_scores(workdir, student) != typed:
                    assert time.monotonic() < deadline, manual_scores(workdir, student)
                    page.wait_for_timeout(250)
            page.locator("input.score#t12_2f_discussion").scroll_into_view_if_needed()
            page.screenshot(path=ARTIFACTS / "formgrader_manual.png")
        finally:
            browser.close()

    final = command("finalize", "--assignment", "sheet12", "--workdir", str(workdir))
    assert final.returncode == 0, final.stdout + final.stderr
    assert "did not go out through nbgrader's exchange" in final.stdout
    feedback = html.unescape((workdir / "feedback" / "correct" / "sheet12" / "sheet12.html").read_text())
    assert "Autograded: 20 / 20 points." in feedback and "Graded by hand: 3 / 4 points." in feedback
    assert "graded by hand, pending" not in feedback.lower()
    assert all(comment in feedback for _, comment in BY_HAND["correct"].values())
    with open(workdir / "grades.csv") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert {student: (row["by hand"], row["total"]) for student, row in rows.items()} == {
        "correct": ("3", "23"),
        "transposed_dW1": ("1", "16"),
    }
    assert rows["correct"]["T12.1.1"] == "6" and rows["transposed_dW1"]["T12.2f"] == "0"  # autograded + by hand

    with offline_page(1200, 900) as (page, outside):
        page.goto((workdir / "class_report.html").as_uri())
        totals = page.locator("#students tbody tr").evaluate_all(
            "rows => rows.map(row => [row.cells[0].textContent, row.cells[row.cells.length - 2].textContent])"
        )
        assert totals == [["correct", "23"], ["transposed_dW1", "16"]]
        assert page.get_by_role("row", name="mean final total (of 24) 19.50").count() == 1
        page.locator("#students a", has_text="correct").click()
        assert page.url.endswith("/feedback/correct/sheet12/sheet12.html")
        page.go_back()
        page.screenshot(path=ARTIFACTS / "class_report_final.png", full_page=True)
    assert outside == []

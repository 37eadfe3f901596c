"""The feedback page of the sample ``transposed_dW1`` in headless Chromium, opened from disk with
the network blocked, as a student would open it on a train: the mathematics is rendered (no raw
``$...$``, no request for MathJax), the summary on top lists the parts in the sheet's order with
their titles, names the mistake with what it means and links the notebook's hint, says the
written answers are pending, and the verdict under the failing test cell wraps in full with no
raw points value. Screenshots of the summary and the failing part are kept in tests/artifacts
(or $TEST_ARTIFACTS)."""

from __future__ import annotations

import re

from autograder.commands.grade import GradingRun
from tests.browser_kit import ARTIFACTS, offline_page
from tests.conftest import SHEET12

STUDENT = "transposed_dW1"
RAW_MATH = re.compile(r"\$[^$\n]+\$")


def test_the_feedback_page_reads_offline_with_the_summary_on_top(graded_class: GradingRun) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_url = (graded_class.feedback_dir / STUDENT / "sheet12" / "sheet12.html").as_uri()
    with offline_page(1100, 1000) as (page, outside):
        page.goto(page_url)

        text = page.locator("body").inner_text()
        assert RAW_MATH.findall(text) == []
        heights = page.locator("#notebook math").evaluate_all(
            "nodes => nodes.map(node => node.getBoundingClientRect().height)"
        )
        assert len(heights) > 50 and min(heights) > 0  # drawn by the browser, not left as source
        sizes = page.evaluate(
            """() => ['p', 'math:not([display="block"])', 'math[display="block"]'].map(
                 selector => parseFloat(getComputedStyle(document.querySelector('#notebook ' + selector)).fontSize))"""
        )
        assert sizes[0] < sizes[1] < sizes[2]  # formulas a little larger than the text, display ones most
        formula = page.locator('#notebook math[display="block"]', has=page.locator("munderover")).first
        formula.scroll_into_view_if_needed()
        formula.screenshot(path=ARTIFACTS / "feedback_formula.png")

        summary = page.locator("#summary")
        assert summary.locator("th.part").all_inner_texts() == [part.title for part in SHEET12.parts]
        assert summary.locator(".totals span").all_inner_texts() == [
            "Autograded: 15 / 20 points.",
            "Graded by hand, pending: 4 points.",
        ]
        backward = summary.locator("tr", has=page.locator("th.part", has_text="T12.2d"))
        assert backward.locator("td.points").inner_text() == "0 / 4"
        mistake = backward.locator(".mistake").inner_text()
        assert mistake.startswith("transposed: it is the transpose of the expected array")
        assert mistake.endswith("(see the hints of T12.2d)")
        assert summary.locator(".pending").count() == len(SHEET12.manual)
        summary.screenshot(path=ARTIFACTS / "feedback_summary.png")

        backward.locator(".mistake a").click()  # the link leads to the part's hints
        assert page.locator('a[name="t12_2d_text"]').count() == 1
        assert page.evaluate("window.location.hash") == "#t12_2d_text"

        verdict = page.locator(".verdict.lost").filter(has_text="backward: 0 of 4 points.")
        assert verdict.count() == 1
        assert "keep every gradient in the shape of its parameter" in verdict.inner_text()
        widths = verdict.evaluate("node => [node.scrollWidth, node.clientWidth]")
        assert widths[0] <= widths[1]  # wraps: nothing hidden behind a sideways scroll
        cell = page.locator(".cell", has=page.locator('a[name="t12_2d_backward"]'))
        assert cell.locator(".output_prompt").count() == 0 and "0.0" not in cell.inner_text().splitlines()
        cell.screenshot(path=ARTIFACTS / "feedback_failing_part.png")
        assert outside == []
    assert (ARTIFACTS / "feedback_summary.png").stat().st_size > 20_000


def test_the_feedback_page_runs_no_script_even_one_planted_past_the_sanitizer(
    graded_class: GradingRun, tmp_path
) -> None:
    """The second wall: the page's Content-Security-Policy. A copy of a real feedback page with a
    script element, an event handler and a javascript: link written into its body (as if the
    sanitizer had missed them) runs none of them, and the browser reports each as blocked."""
    page_html = (graded_class.feedback_dir / STUDENT / "sheet12" / "sheet12.html").read_text()
    planted = (
        '<script>window.__pwned = ["script"]</script>'
        '<img id="planted-img" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.__pwned = [\'img\']"'
        " onload=\"window.__pwned = ['img']\">"
        '<a id="planted-link" href="javascript:window.__pwned = [\'link\']">planted</a>'
    )
    copy = tmp_path / "planted.html"
    copy.write_text(page_html.replace('<div id="summary">', planted + '<div id="summary">', 1))
    with offline_page(1100, 1000) as (page, outside):
        violations: list[str] = []
        page.on("console", lambda message: violations.append(message.text))
        page.goto(copy.as_uri())
        page.locator("#planted-link").click()
        page.wait_for_timeout(500)
        assert page.evaluate("window.__pwned || []") == []
        assert outside == []
    assert sum("Content Security Policy" in text for text in violations) >= 3, violations

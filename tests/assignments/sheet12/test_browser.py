"""The student's view: a completed release notebook, run in real JupyterLab in headless Chromium.

JupyterLab serves a copy of release/sheet12 on localhost; Playwright drives Debian's Chromium
to open the notebook and run all cells. Screenshots of the notebook and of the risk-curve
plot are kept in tests/artifacts/ (or $TEST_ARTIFACTS).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright

from autograder.grading.notebooks import COURSE_ROOT
from tests.browser_kit import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, jupyterlab
from tests.conftest import SAMPLES, SHEET12

NOTEBOOK_STATE = """() => {
  if (!window.jupyterapp) return null;  // the page is still loading JupyterLab
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext.session) return null;
  const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
  const outputs = cells.flatMap(cell => cell.model.outputs.toJSON());
  const text = value => Array.isArray(value) ? value.join('') : (value || '');
  return {
    pending: cells.filter(cell => cell.model.executionCount === null).length,
    status: panel.sessionContext.session.kernel ? panel.sessionContext.session.kernel.status : 'none',
    errors: outputs.filter(output => output.output_type === 'error').map(output => output.ename + ': ' + output.evalue),
    printed: outputs.filter(output => output.output_type === 'stream').map(output => text(output.text)).join(''),
    images: outputs.filter(output => output.data && output.data['image/png']).length,
  };
}"""


@pytest.fixture
def completed_notebook(tmp_path: Path) -> Iterator[str]:
    """JupyterLab on localhost serving a completed copy of the release; yields the notebook's URL."""
    for path in (COURSE_ROOT / "release" / "sheet12").iterdir():
        shutil.copy(path, tmp_path / path.name)
    nbformat.write(SHEET12.submission(SAMPLES["correct"]), tmp_path / "sheet12.ipynb")
    with jupyterlab(tmp_path) as (base, token):
        yield f"{base}/lab/tree/sheet12.ipynb?token={token}"


def test_completed_notebook_runs_cleanly_in_jupyterlab(completed_notebook: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(completed_notebook)
        page.wait_for_function(f"({NOTEBOOK_STATE})() && ({NOTEBOOK_STATE})().status === 'idle'", timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(
            f"(() => {{ const s = ({NOTEBOOK_STATE})(); return s && s.pending === 0 && s.status === 'idle'; }})()",
            timeout=180_000,
        )
        state = page.evaluate(NOTEBOOK_STATE)
        page.evaluate("window.jupyterapp.shell.currentWidget.content.scrollToItem(0)")
        page.screenshot(path=ARTIFACTS / "notebook.png")
        plot = page.evaluate(
            """() => {
              const notebook = window.jupyterapp.shell.currentWidget.content;
              const index = notebook.widgets.findIndex(cell => cell.model.id === 'exploration_learning_rates');
              notebook.activeCellIndex = index;
              return notebook.scrollToItem(index).then(() => index);
            }"""
        )
        assert plot > 0
        image = page.locator(".jp-OutputArea-output img").first
        image.wait_for(timeout=30_000)
        image.scroll_into_view_if_needed()
        image.screenshot(path=ARTIFACTS / "risk_curves.png")
        browser.close()
    assert state["errors"] == []
    assert state["printed"].count("✓") == 20, state["printed"]  # 10 self-checks, then check_all's 10 rows
    assert "Self-checks passing: 10 of 10, worth 20 of 20 points" in state["printed"]
    assert "✗" not in state["printed"]
    assert state["images"] == 2
    assert (ARTIFACTS / "notebook.png").stat().st_size > 10_000
    assert (ARTIFACTS / "risk_curves.png").stat().st_size > 10_000


SHOW_CELL = """id => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const index = notebook.widgets.findIndex(cell => cell.model.id === id);
  notebook.activeCellIndex = index;
  return notebook.scrollToItem(index).then(() => index);
}"""


def test_one_run_all_with_a_mistake_reaches_the_end_with_every_verdict_and_the_summary(tmp_path: Path) -> None:
    """transposed_dW1 in JupyterLab, Run All once: every cell runs (the self-check cells are tagged
    ``raises-exception``, so a failing one does not stop the run), each self-check shows its verdict,
    the failing one its message only (no frames of selfcheck.py), and check_all lists every part;
    screenshots of the failing self-check, of check_all and of the whole notebook's end."""
    for path in (COURSE_ROOT / "release" / "sheet12").iterdir():
        shutil.copy(path, tmp_path / path.name)
    nbformat.write(SHEET12.submission(SAMPLES["transposed_dW1"]), tmp_path / "sheet12.ipynb")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with jupyterlab(tmp_path) as (base, token), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/sheet12.ipynb?token={token}")
        page.wait_for_function(f"({NOTEBOOK_STATE})() && ({NOTEBOOK_STATE})().status === 'idle'", timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # The kernel is idle for a moment between two cells: the run is over when no cell waits.
        page.wait_for_function(
            f"(() => {{ const s = ({NOTEBOOK_STATE})(); return s && s.pending === 0 && s.status === 'idle'; }})()",
            timeout=180_000,
        )
        state = page.evaluate(NOTEBOOK_STATE)
        shots = {}
        for cell_id, name in (("t12_2d_backward", "failing_self_check.png"), ("check_all", "check_all.png")):
            index = page.evaluate(SHOW_CELL, cell_id)
            cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
            cell.scroll_into_view_if_needed()
            shots[cell_id] = cell.inner_text()
            cell.screenshot(path=ARTIFACTS / name)
        page.screenshot(path=ARTIFACTS / "run_all_with_a_mistake.png")
        browser.close()
    assert state["pending"] == 0, "Run All stopped before the end"  # (else the wait above timed out)
    assert state["printed"].count("✓ ") == 8 + 8, state["printed"]  # 8 self-checks pass, then check_all's 8 rows
    assert [error.split(":")[0] for error in state["errors"]] == ["SelfCheckFailed", "SelfCheckFailed"]
    assert (
        "✗ grads['dW1'] on the sheet's data" in shots["t12_2d_backward"] and "[transposed]" in shots["t12_2d_backward"]
    )
    assert "selfcheck.py" not in shots["t12_2d_backward"] and "Traceback" not in shots["t12_2d_backward"]
    assert (
        "✗ t12_2d_backward" in shots["check_all"]
        and "Self-checks passing: 8 of 10, worth 15 of 20" in shots["check_all"]
    )
    assert (ARTIFACTS / "check_all.png").stat().st_size > 5_000

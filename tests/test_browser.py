"""The student's view: a completed release notebook, run in real JupyterLab in headless Chromium.

JupyterLab serves a copy of release/sheet12 on localhost; Playwright drives Debian's Chromium
to open the notebook and run all cells. Screenshots of the notebook and of the risk-curve
plot are kept in tests/artifacts/ (or $TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright

from autograder import samples
from autograder.notebooks import COURSE_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", COURSE_ROOT / "tests" / "artifacts"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

NOTEBOOK_STATE = """() => {
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path: Path) -> Iterator[str]:
    """JupyterLab on localhost serving a completed copy of the release; yields the notebook's URL."""
    for path in (COURSE_ROOT / "release" / "sheet12").iterdir():
        shutil.copy(path, tmp_path / path.name)
    nbformat.write(samples.BUNDLED[0].notebook(), tmp_path / "sheet12.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={tmp_path}", "--LabApp.expose_app_in_browser=True"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("JupyterLab did not start") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/lab/tree/sheet12.ipynb?token={token}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_completed_notebook_runs_cleanly_in_jupyterlab(jupyterlab: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(jupyterlab)
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
    assert state["printed"].count("✓") == 10, state["printed"]
    assert "✗" not in state["printed"]
    assert state["images"] == 2
    assert (ARTIFACTS / "notebook.png").stat().st_size > 10_000
    assert (ARTIFACTS / "risk_curves.png").stat().st_size > 10_000

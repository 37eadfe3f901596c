"""What the sandbox's tests run in a jail: a Python program started cold (this project's Python in
bubblewrap) or forked from a warm template, its output in files of the jail's folder."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from autograder.sandbox import warm
from autograder.sandbox.jail import Jail


def start(jail: Jail, code: str, template: warm.Template | None = None) -> subprocess.Popen | warm.ForkedKernel:
    """``code`` run by this project's Python in ``jail`` (forked from ``template`` when given, a
    jail made in its spool), its standard output and error going to ``stdout`` and ``stderr`` in the
    jail's folder."""
    output = (jail.root / "stdout", jail.root / "stderr")
    for path in output:
        path.touch()
    if template is not None:
        return template.start(jail, ["-c", textwrap.dedent(code)], output)
    with output[0].open("w") as stdout, output[1].open("w") as stderr:
        return subprocess.Popen(
            jail.command([sys.executable, "-c", textwrap.dedent(code)]), stdout=stdout, stderr=stderr
        )


def printed(jail: Jail, timeout: float = 30) -> str:
    """What the jail's program printed, once it printed a whole line (or what it had by ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not (text := (jail.root / "stdout").read_text()).endswith("\n") and time.monotonic() < deadline:
        time.sleep(0.02)
    return text


def errors(jail: Jail) -> str:
    """What the jail's program wrote to its standard error."""
    return (jail.root / "stderr").read_text()

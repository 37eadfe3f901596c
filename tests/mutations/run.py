"""Apply one mutation of the catalogue to a temporary copy of the project and run its tests there.

A mutation is caught when its tests fail (or hang past the mutation's timeout, which a real run
would also not survive); a run that executes no test is an error, not a catch. The copy is made
with the test suite's own :func:`tests.conftest.copy_course_repository` (no git metadata, no
grading state, no ``.venv``: the tests run with this Python) and removed afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.sandbox import cgroup, jail
from tests.conftest import copy_course_repository
from tests.guarantees import Mutation

#: pytest's exit status when it collected or ran no test.
NO_TESTS = 5


@dataclass(frozen=True)
class Outcome:
    """What the mutated copy's tests did: ``caught`` when they failed or hung."""

    mutation: Mutation
    caught: bool
    summary: str
    seconds: float


def baseline(mutations: tuple[Mutation, ...]) -> Mutation:
    """No mutation: every test of the mutations, in one run on the project as it is, with their
    environments merged (values of one variable joined by commas). It must pass, or a "caught"
    above means nothing."""
    tests = tuple(dict.fromkeys(test for mutation in mutations for test in mutation.tests))
    env: dict[str, str] = {}
    for mutation in mutations:
        for name, value in mutation.env.items():
            env[name] = f"{env[name]},{value}" if name in env else value
    return Mutation("none (the project as it is)", "", "", "", "", tests, env, timeout=600.0)


def apply(mutation: Mutation, project: Path) -> None:
    """Make the mutation in the copy (see :class:`tests.guarantees.Mutation`)."""
    if not mutation.file:
        return
    path = project / mutation.file
    path.write_text(mutation.mutated(path.read_text()))


def run(mutation: Mutation) -> Outcome:
    """The mutation's tests, run in a mutated copy of the project. Everything the run makes in the
    system's temporary folder goes into the copy's (``TMPDIR``); a run that hangs is killed with its
    process group, and the jails' mounts and control groups it leaves are removed with the copy."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutation-") as folder:
        scratch = Path(folder) / "tmp"
        scratch.mkdir()
        for public in (Path(folder), scratch):
            public.chmod(0o755)  # jails are traversable by all (user isolation)
        project = copy_course_repository(Path(folder))
        apply(mutation, project)
        command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *mutation.tests]
        env = {**os.environ, **mutation.env, "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(scratch)}
        tests = subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = tests.communicate(timeout=mutation.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(tests.pid, signal.SIGKILL)
            tests.communicate()
            _wait_until_gone(tests.pid)  # its grading workers too, before their jails are swept
            return Outcome(mutation, True, f"hung past {mutation.timeout:g} s", time.monotonic() - start)
        finally:
            jail.release_mounts(Path(folder))
            cgroup.remove_orphans()
    lines = [line for line in stdout.splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else stderr.strip()[-200:]
    if tests.returncode == NO_TESTS or tests.returncode not in (0, 1):
        raise RuntimeError(f"{mutation.name}: the tests did not run (exit {tests.returncode}): {summary}")
    return Outcome(mutation, tests.returncode == 1, summary, time.monotonic() - start)


def _wait_until_gone(group: int, seconds: float = 10) -> None:
    """Wait until no process of process group ``group`` is left (killed ones take a moment)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def table(outcomes: list[Outcome]) -> str:
    """A Markdown table: mutation, tests run, caught (with pytest's summary line), seconds."""
    lines = ["| mutation | tests run | caught | s |", "|---|---|---|---|"]
    for outcome in outcomes:
        tests = "<br>".join(test.split("::")[1] for test in outcome.mutation.tests)
        if not outcome.mutation.file:
            tests = f"the {len(outcome.mutation.tests)} tests of the mutations below"
        if not outcome.mutation.file:  # the baseline: its tests must pass
            caught = f"{'FAILED' if outcome.caught else 'passed (as they must)'}: {outcome.summary}"
        else:
            caught = f"{'yes' if outcome.caught else 'NO'}: {outcome.summary}"
        lines.append(f"| {outcome.mutation.name} | {tests} | {caught} | {outcome.seconds:.0f} |")
    return "\n".join(lines)

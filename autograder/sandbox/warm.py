"""Warm kernels: one jailed template process per grading process forks every student's kernel.

A cold kernel starts Python, IPython, ipykernel and (in the student's first cell) NumPy for every
student; a warm one is forked from a template that imported them once
(:mod:`autograder.sandbox.warm_template`, which says how the child isolates itself). The template
runs in a bubblewrap jail like a cold kernel's (``Jail.bwrap``) that also sees the spool, the folder
the grading process makes its jails in (a shared mount on the host, so the socket folder each jail
mounts later is seen inside too). To fork a kernel, the grader moves the template's processes into
that student's control group, asks for the fork and moves them back: the child is born in the
student's group, and every process in it is the student's.

Only ``namespaces`` isolation with control groups has warm kernels; ``JailedKernelManager.launch``
chooses them (``"warm"``); without either, kernels start cold.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.sandbox.cgroup import ControlGroup, process_gone
from autograder.sandbox.jail import HOME, WORKDIR, Jail

#: The template's program (run with ``python -c``: the jail does not see this package).
TEMPLATE_SOURCE = (Path(__file__).resolve().parent / "warm_template.py").read_text()
#: How long the grader waits for the template to start and to answer a fork, in seconds.
ANSWER_SECONDS = 60.0


class ForkedKernel:
    """A forked kernel, seen as :class:`subprocess.Popen` is seen by jupyter_client's provisioner:
    its processes are those of the student's control group; ``pid`` is the forked child's, as this
    grader sees it (not as the template's PID namespace numbers it)."""

    stdin = stdout = stderr = None

    def __init__(self, group: ControlGroup, pid: int, exit_file: Path) -> None:
        self.group, self.pid, self.exit_file, self.returncode = group, pid, exit_file, None

    def poll(self) -> int | None:
        """None while a process of the group is alive (not a zombie), else the program's exit code
        (negative: the signal that ended it; -9 also when it is not known)."""
        if self.returncode is None and all(process_gone(pid) for pid in self.group.members()):
            try:
                self.returncode = int(self.exit_file.read_text())
            except (OSError, ValueError):
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """The exit code, once every process of the group has ended (TimeoutExpired after ``timeout``)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("warm kernel", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal every process of the student's group (the kernel and all it started)."""
        for pid in self.group.members():
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL to every process of the group."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM to every process of the group."""
        self.send_signal(signal.SIGTERM)


class Template:
    """The template process of one grading process, with the spool its jails are made in."""

    def __init__(self, settings: Jail) -> None:
        """``settings``: a jail whose limits and Python the template and its kernels share (its
        own folders are not used)."""
        self.settings, self.process = settings, None
        limits = (settings.group_memory_bytes, settings.processes, settings.cpus)
        self.group = ControlGroup.create(*limits, Path(settings.cgroup_root))
        # A short name: a socket's path has at most 107 characters (see JailedKernelManager).
        self.spool = Path(tempfile.mkdtemp(prefix="warm-", dir=Path(settings.root).parent))
        try:
            os.chmod(self.spool, 0o755)
            for options in (["--bind", str(self.spool)], ["--make-shared"]):
                subprocess.run(["mount", *options, str(self.spool)], check=True, capture_output=True)
            limits = ["prlimit", f"--as={settings.memory_bytes}", f"--cpu={settings.cpu_seconds}", "--"]
            program = [sys.executable, "-c", TEMPLATE_SOURCE]
            jailed = settings.bwrap(["--bind", str(self.spool), str(self.spool)], program)
            self.process = subprocess.Popen(
                self.group.join_command([*limits, *jailed]),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            if self._answer() != "ready":
                raise RuntimeError("the warm kernel template did not start")
        except BaseException:
            self.close()
            raise
        self.processes = self.group.members()  # bubblewrap's two and the template (none comes later)

    def _answer(self) -> str:
        """The template's next line ("" when it stopped or did not answer in time)."""
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_SECONDS)
        return self.process.stdout.readline().strip() if ready else ""

    def alive(self) -> bool:
        """Whether the template still runs (it ends with its grading process, or when killed)."""
        return self.process.poll() is None

    def start(self, jail: Jail, argv: list[str], output: tuple[Path, Path] | None = None) -> ForkedKernel:
        """Fork ``python -c CODE ARGS...`` (``argv``, from ``-c`` on) in ``jail`` (made in :attr:`spool`),
        its standard output and error into ``output`` (files the grader can read) or nowhere."""
        exit_file = jail.root / "exit-code"
        exit_file.unlink(missing_ok=True)
        request = {
            "spool": str(self.spool),
            "files": str(jail.workdir),
            "runtime": str(jail.runtime_dir),
            "lines": str(jail.lines_dir),
            "workdir": WORKDIR,
            "home": HOME,
            "tmpfs_bytes": jail.tmpfs_bytes,
            "files_bytes": jail.files_bytes(),
            "memory_bytes": jail.memory_bytes,
            "cpu_seconds": jail.cpu_seconds,
            "keep": [folder for folder in jail.python_dirs if os.path.isdir(folder) and folder != "/usr"],
            "environment": jail.environment(HOME),
            "argv": argv,
            "output": [str(path) for path in output] if output else None,
            "exit_file": str(exit_file),
        }
        jail.group.admit(self.processes)
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self._answer()
            # The child waits for "go": it is the one process of the group that is not the template's.
            forked = [pid for pid in jail.group.members() if pid not in self.processes] if answer.isdigit() else []
        except OSError:  # the template has stopped
            answer, forked = "", []
        finally:
            self.group.admit(self.processes)
        if answer.isdigit():
            try:
                self.process.stdin.write("go\n")
                self.process.stdin.flush()
            except OSError:  # the template has stopped, and the child with it
                forked = []
        if len(forked) != 1:
            raise RuntimeError("the warm kernel template did not fork a kernel (it stopped or did not answer)")
        return ForkedKernel(jail.group, forked[0], exit_file)

    def close(self) -> None:
        """Stop the template and its control group; unmount and delete the spool."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        self.group.remove()
        subprocess.run(["umount", "--lazy", str(self.spool)], capture_output=True, check=False)
        shutil.rmtree(self.spool, ignore_errors=True)


#: This process's templates, by the settings they were made with.
_TEMPLATES: dict[tuple, Template] = {}


def close_templates() -> None:
    """Stop this process's templates (also done when it exits)."""
    for template in _TEMPLATES.values():
        template.close()
    _TEMPLATES.clear()


def template_for(settings: Jail) -> Template:
    """This grading process's template for jails with these settings (started at the first call,
    again when it stopped; stopped when the process exits)."""
    key = (
        str(Path(settings.root).parent), settings.memory_bytes, settings.cpu_seconds, settings.processes,
        settings.group_memory_bytes, settings.cpus, settings.tmpfs_bytes, tuple(settings.python_dirs),
    )  # fmt: skip
    template = _TEMPLATES.get(key)
    if template is None or not template.alive():
        if template is not None:
            template.close()
        template = _TEMPLATES[key] = Template(settings)
    return template


atexit.register(close_templates)

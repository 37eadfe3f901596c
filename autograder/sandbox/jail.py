"""The jail a student's kernel runs in: bubblewrap namespaces plus resource limits.

Mechanism (works as root on a plain Linux machine, no container runtime):

* ``bwrap`` (bubblewrap) gives the kernel new user, mount, PID, network, IPC and UTS
  namespaces. Its file system holds only read-only system directories, the Python
  installation, a copy of the student's assignment folder and the kernel's socket folder;
  the course (source/, autograder/, the gradebook, other students' files) is not there.
  There is no network: only a loopback device nobody listens on. The kernel runs as uid
  65534 in its user namespace, and every process it starts dies with the namespace.
* ``prlimit`` caps address space (memory) and CPU time; the caller caps wall time.
* The kernel talks to the grader over Unix sockets (ZeroMQ ``ipc``) in a folder that is
  bound into the jail, so no TCP port is opened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer

#: Host directories the kernel may read (when they exist); never the course or /root as a whole.
SYSTEM_DIRS = ("/usr", "/etc/alternatives", "/etc/ssl", "/etc/localtime")
HOME = "/home/student"
WORKDIR = f"{HOME}/assignment"
#: Environment variables passed into the jail (everything else is cleared).
PASSED_ENV = ("LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NBGRADER_EXECUTION")


def bwrap_available() -> bool:
    """Whether bubblewrap and prlimit are installed."""
    return bool(shutil.which("bwrap") and shutil.which("prlimit"))


@dataclass
class Jail:
    """One jail: a private copy of an assignment folder, a socket folder, and the limits."""

    source: Path | None
    root: Path
    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 300
    python_dirs: list[str] = field(default_factory=lambda: sorted({sys.prefix, sys.base_prefix}))

    @classmethod
    def create(cls, source: Path | None, **limits: int) -> Jail:
        """A jail for the files in ``source`` (not the folders above it)."""
        jail = cls(source, Path(tempfile.mkdtemp(prefix="sheet12-jail-")), **limits)
        os.chmod(jail.root, 0o755)
        jail.runtime_dir.mkdir()
        jail.refresh()
        return jail

    @property
    def workdir(self) -> Path:
        """The host folder the kernel sees as its working directory."""
        return self.root / "assignment"

    @property
    def runtime_dir(self) -> Path:
        """The host folder of the kernel's connection file and sockets."""
        return self.root / "runtime"

    def refresh(self) -> None:
        """A fresh copy of the assignment's files (notebooks excluded), e.g. for a restarted kernel."""
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir()
        if self.source is not None and self.source.is_dir():
            ignore = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints")
            shutil.copytree(self.source, self.workdir, dirs_exist_ok=True, symlinks=False, ignore=ignore)

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` wrapped in prlimit and bwrap."""
        binds = ["--ro-bind", "/usr", "/usr"]
        for link in ("lib", "lib64", "bin", "sbin"):
            binds += ["--symlink", f"usr/{link}", f"/{link}"]
        for directory in (*SYSTEM_DIRS, *self.python_dirs):
            if directory != "/usr" and os.path.exists(directory):
                binds += ["--ro-bind", directory, directory]
        env = {
            "HOME": HOME,
            "PATH": "/usr/bin:/bin",
            "IPYTHONDIR": "/tmp/ipython",
            "MPLCONFIGDIR": "/tmp/matplotlib",
            "JUPYTER_RUNTIME_DIR": str(self.runtime_dir),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
        } | {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
        env_args = [arg for name, value in env.items() for arg in ("--setenv", name, value)]
        return [
            "prlimit", f"--as={self.memory_bytes}", f"--cpu={self.cpu_seconds}", "--",
            "bwrap", "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--tmpfs", HOME, *binds, "--bind", str(self.workdir), WORKDIR,
            "--bind", str(self.runtime_dir), str(self.runtime_dir), "--chdir", WORKDIR,
            "--clearenv", *env_args, "--", *argv,
        ]  # fmt: skip

    def remove(self) -> None:
        """Delete the jail's files."""
        shutil.rmtree(self.root, ignore_errors=True)


class JailedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in a :class:`Jail`, freshly copied at every (re)start."""

    memory_bytes = Integer(2 * 1024**3, help="Address-space limit of a student's kernel, in bytes.").tag(config=True)
    cpu_seconds = Integer(300, help="CPU-time limit of a student's kernel, in seconds.").tag(config=True)

    jail: Jail | None = None

    async def _async_pre_start_kernel(self, **kw):
        if not bwrap_available():
            raise RuntimeError("grading needs bubblewrap and prlimit to jail students' kernels: run `bash install.sh`")
        if self.jail is None:
            source = Path(kw["cwd"]) if kw.get("cwd") else None
            self.jail = Jail.create(source, memory_bytes=self.memory_bytes, cpu_seconds=self.cpu_seconds)
        else:
            self.jail.refresh()
        self.transport = "ipc"
        self.ip = str(self.jail.runtime_dir / "kernel")
        self.connection_file = str(self.jail.runtime_dir / "kernel.json")
        kw["cwd"] = str(self.jail.workdir)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        kw.pop("env", None)  # the jail sets its own environment
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL  # the kernel's banner, not the student's output
        # Signals would reach bwrap, not the kernel: ask the kernel itself to interrupt.
        self.kernel_spec.interrupt_mode = "message"
        await super()._async_launch_kernel(self.jail.command(kernel_cmd), **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self.jail is not None:
            self.jail.remove()
            self.jail = None

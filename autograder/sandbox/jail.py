"""The jail a student's kernel runs in: bubblewrap namespaces plus resource limits.

In both kinds of isolation below, a control group (:mod:`autograder.sandbox.cgroup`) bounds the
memory of all the kernel's processes together (``group_memory_bytes``, counting their swap and the
files they keep in tmpfs), their number (``processes``, threads included) and the CPU time they get
together (``cpus``: one CPU's worth by default), and tells which limit was hit
(:meth:`JailedKernelManager.limits_hit`). It needs root and writable cgroup v1 or v2 hierarchies;
without them, ``JailedKernelManager.cgroups`` decides: ``"required"`` (the default) refuses to
start kernels, ``"if available"`` goes on with the per-process limits alone.

Two kinds of isolation, chosen by ``JailedKernelManager.isolation``:

``namespaces`` (the default; works as root on a plain Linux machine, no container runtime):

* ``bwrap`` (bubblewrap) gives the kernel new user, mount, PID, network, IPC and UTS
  namespaces. Its file system holds only read-only system directories, the Python
  installation, a copy of the student's assignment folder and the kernel's socket folder;
  the course (source/, autograder/, the gradebook, other students' files) is not there.
  There is no network: only a loopback device nobody listens on. The kernel runs as uid
  65534 in its user namespace, and every process it starts dies with the namespace.
* ``prlimit`` caps each process's address space (memory) and CPU time; the caller caps wall time.
* What the kernel can write is a size-limited tmpfs (``tmpfs_bytes`` each): its working folder
  (a copy of the assignment's files, made inside the jail, plus ``tmpfs_bytes``), its home, ``/tmp``
  and ``/dev/shm``. The rest of its file system, ``/`` and ``/dev`` included, is read-only, except
  the socket folder below.
* The kernel talks to the grader over Unix sockets (ZeroMQ ``ipc``) in a folder that is
  bound into the jail, so no TCP port is opened. The host must see that folder: it is a 1 MiB
  tmpfs mounted on the host (which needs root, as control groups do).

``user`` (for a container that holds one submission and forbids namespaces, e.g. Gradescope's):
the kernel runs as uid/gid 65534 (nobody) with no supplementary groups and no way to regain
privileges (``setpriv``), under the same ``prlimit`` caps plus a cap on nobody's processes, in its own
folder on the host's disk (not size-limited), and in a control group when there is one. The
container is the boundary between students; the caller must make the grader's
files unreadable to others (see :mod:`autograder.gradescope.run`). There is no network
isolation in this mode.
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
from traitlets import DottedObjectName, Enum, Float, Integer, Type, Unicode

from autograder.sandbox.cgroup import ControlGroup, Unavailable
from autograder.sandbox.client import BoundedKernelClient

#: Host directories the kernel may read (when they exist); never the course or /root as a whole.
SYSTEM_DIRS = ("/usr", "/etc/alternatives", "/etc/ssl", "/etc/localtime")
HOME = "/home/student"
WORKDIR = f"{HOME}/assignment"
#: Where the jail sees (read-only) the assignment's files it copies into WORKDIR.
FILES = "/run/assignment"
#: Environment variables passed into the jail (everything else is cleared).
PASSED_ENV = ("LANG", "LC_ALL", "LD_LIBRARY_PATH", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NBGRADER_EXECUTION")
#: How often the grader looks whether a killed kernel's process has ended, in seconds.
EXIT_POLL_SECONDS = 0.01
#: The unprivileged user and group a kernel runs as.
NOBODY = 65534
#: Size of the socket folder (a connection file and a few sockets).
SOCKETS_BYTES = 1024**2
#: Options for an IPython kernel: no input history database (nobody reads it; it cost a thread and
#: a quarter of the kernel's CPU time per cell).
IPYTHON_KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)
#: How a jailed IPython kernel starts instead of ``python -m ipykernel_launcher``: as that module
#: does, but with the debugger (debugpy) unimportable. Nobody can attach a debugger to a grading
#: kernel, and importing it was a fifth of the CPU time a kernel took to start.
IPYTHON_LAUNCH = (
    "import sys\n"
    "if sys.path[0] == '': del sys.path[0]  # added back by IPython, as ipykernel_launcher does\n"
    "sys.modules['debugpy'] = None  # import debugpy raises ImportError: ipykernel goes without\n"
    "from ipykernel.kernelapp import launch_new_instance\n"
    "launch_new_instance()"
)


def missing_tools(isolation: str) -> str | None:
    """Why kernels cannot be jailed with this isolation here, or None when they can."""
    if isolation == "user":
        if not (shutil.which("setpriv") and shutil.which("prlimit")):
            return "`user` isolation needs setpriv and prlimit (Debian/Ubuntu package util-linux)"
        if os.geteuid() != 0:
            return "`user` isolation must run as root to start kernels as nobody"
        return None
    if not (shutil.which("bwrap") and shutil.which("prlimit")):
        return "grading needs bubblewrap and prlimit to jail students' kernels: run `bash install.sh`"
    return None


@dataclass
class Jail:
    """One jail: a private copy of an assignment folder, a socket folder, a control group, and the limits.
    ``cgroups``: ``"required"`` or ``"if available"`` (see the module's documentation)."""

    source: Path | None
    root: Path
    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 300
    isolation: str = "namespaces"
    processes: int = 128
    group_memory_bytes: int = 2 * 1024**3
    cpus: float = 1.0
    tmpfs_bytes: int = 256 * 1024**2
    cgroups: str = "required"
    cgroup_root: str = "/sys/fs/cgroup"
    python_dirs: list[str] = field(default_factory=lambda: sorted({sys.prefix, sys.base_prefix}))
    group: ControlGroup | None = field(default=None, init=False)

    @classmethod
    def create(
        cls, source: Path | None, parent: str | None = None, prefix: str = "autograder-jail-", **settings: int | str
    ) -> Jail:
        """A jail for the files in ``source`` (not the folders above it), in ``parent`` (default:
        the system's temporary folder), its folder's name starting with ``prefix``. RuntimeError if
        control groups are required but unusable."""
        jail = cls(source, Path(tempfile.mkdtemp(prefix=prefix, dir=parent)), **settings)
        try:
            jail.group = ControlGroup.create(jail.group_memory_bytes, jail.processes, jail.cpus, Path(jail.cgroup_root))
        except Unavailable as reason:
            if jail.cgroups == "required":
                jail.remove()
                raise RuntimeError(
                    f"the jail needs a control group to bound a kernel's memory, processes and CPU, but {reason} "
                    "(run as root, or set c.JailedKernelManager.cgroups = 'if available' to go without)"
                ) from None
        os.chmod(jail.root, 0o755)
        for folder in (jail.runtime_dir, jail.home):
            folder.mkdir()
            jail.hand_over(folder)
        jail.lines_dir.mkdir(mode=0o755)  # the grader's: the kernel may connect there, not write
        if jail.isolation == "namespaces":
            jail._mount_socket_folder()
        jail.refresh()
        return jail

    def _mount_socket_folder(self) -> None:
        """Make the socket folder, the one folder the kernel writes that the host must see, a small
        tmpfs on the host (mounting needs root; where it fails, ``cgroups`` decides, as for those)."""
        mount = ["mount", "-t", "tmpfs", "-o", f"size={SOCKETS_BYTES},mode=0755", "autograder-sockets"]
        done = subprocess.run([*mount, str(self.runtime_dir)], capture_output=True, text=True)
        if done.returncode != 0 and self.cgroups == "required":
            self.remove()
            raise RuntimeError(
                f"the jail needs a size-limited socket folder, but mounting a tmpfs failed: {done.stderr.strip()}"
                " (run as root, or set c.JailedKernelManager.cgroups = 'if available' to go without)"
            )

    def hand_over(self, path: Path) -> None:
        """In ``user`` isolation, give ``path`` (and what is in it) to the kernel's user."""
        if self.isolation != "user":
            return
        for item in [path, *path.rglob("*")]:
            os.chown(item, NOBODY, NOBODY, follow_symlinks=False)

    @property
    def workdir(self) -> Path:
        """The host folder of the assignment's files: the kernel's working directory in ``user``
        isolation; in ``namespaces`` isolation, what the jail copies into its own working folder."""
        return self.root / "assignment"

    @property
    def home(self) -> Path:
        """The kernel's home folder in ``user`` isolation (namespaces give it a private one)."""
        return self.root / "home"

    @property
    def runtime_dir(self) -> Path:
        """The host folder of the kernel's connection file and sockets."""
        return self.root / "runtime"

    @property
    def lines_dir(self) -> Path:
        """The host folder of the grader's own sockets to the kernel (the kernel bridge's line). The
        kernel sees it at the same path, read-only (``namespaces``: a read-only bind; ``user``: a
        folder of root's), so it may connect to a socket there but not create, replace or remove
        one: nothing the kernel does decides where the grader binds."""
        return self.root / "lines"

    def refresh(self) -> None:
        """A fresh copy of the assignment's files (notebooks excluded), e.g. for a restarted kernel."""
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir()
        if self.source is not None and self.source.is_dir():
            ignore = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints")
            shutil.copytree(self.source, self.workdir, dirs_exist_ok=True, symlinks=False, ignore=ignore)
        self.hand_over(self.workdir)

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` wrapped in the limits and the isolation."""
        limits = ["prlimit", f"--as={self.memory_bytes}", f"--cpu={self.cpu_seconds}"]
        if self.isolation == "user":
            jailed = [*limits, f"--nproc={self.processes}", "--", *self._as_nobody(argv)]
        else:
            jailed = [*limits, "--", *self._in_namespaces(argv)]
        return self.group.join_command(jailed) if self.group else jailed

    def limits_hit(self) -> list[str]:
        """The control group's limits hit since the last call (see :meth:`ControlGroup.limits_hit`)."""
        return self.group.limits_hit() if self.group else []

    def environment(self, home: str) -> dict[str, str]:
        """The kernel's environment variables, with ``home`` as its home folder (everything else is cleared)."""
        return {
            "HOME": home,
            "PATH": "/usr/bin:/bin",
            "IPYTHONDIR": f"{home}/.ipython",
            "MPLCONFIGDIR": f"{home}/.matplotlib",
            "JUPYTER_RUNTIME_DIR": str(self.runtime_dir),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
        } | {name: os.environ[name] for name in PASSED_ENV if name in os.environ}

    def _as_nobody(self, argv: list[str]) -> list[str]:
        env = [f"{name}={value}" for name, value in self.environment(str(self.home)).items()]
        return [
            "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--no-new-privs",
            "--pdeathsig", "SIGKILL", "--", "env", "-i", *env, *argv,
        ]  # fmt: skip

    def files_bytes(self) -> int:
        """What the assignment's files take in a tmpfs (each file whole pages): the working folder
        holds them plus ``tmpfs_bytes``."""
        return sum(-(-path.stat().st_size // 4096) * 4096 for path in self.workdir.rglob("*") if path.is_file())

    def bwrap(self, mounts: list[str], argv: list[str]) -> list[str]:
        """``argv`` in bubblewrap's namespaces with the system's directories read-only, fresh tmpfs
        for /tmp, /dev/shm and the home folder, ``mounts`` (bwrap's options) and nothing else."""
        binds = ["--ro-bind", "/usr", "/usr"]
        for link in ("lib", "lib64", "bin", "sbin"):
            binds += ["--symlink", f"usr/{link}", f"/{link}"]
        for directory in (*SYSTEM_DIRS, *self.python_dirs):
            if directory != "/usr" and os.path.exists(directory):
                binds += ["--ro-bind", directory, directory]
        env = self.environment(HOME)
        env_args = [arg for name, value in env.items() for arg in ("--setenv", name, value)]
        size = ["--size", str(self.tmpfs_bytes)]
        return [
            "bwrap", "--unshare-all", "--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
            "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev", *size, "--tmpfs", "/dev/shm",
            *size, "--tmpfs", "/tmp", *size, "--tmpfs", HOME, *binds, *mounts,
            "--remount-ro", "/dev", "--remount-ro", "/", "--clearenv", *env_args, "--", *argv,
        ]  # fmt: skip

    def _in_namespaces(self, argv: list[str]) -> list[str]:
        copy = ["/bin/sh", "-c", f'cp -R {FILES}/. {WORKDIR} && exec "$@"', "copy-assignment"]
        mounts = [
            "--ro-bind", str(self.workdir), FILES, "--size", str(self.tmpfs_bytes + self.files_bytes()),
            "--tmpfs", WORKDIR, "--bind", str(self.runtime_dir), str(self.runtime_dir),
            "--ro-bind", str(self.lines_dir), str(self.lines_dir), "--chdir", WORKDIR,
        ]  # fmt: skip
        return self.bwrap(mounts, [*copy, *argv])

    def remove(self) -> None:
        """Kill the jail's processes, delete its control group, its mount and its files."""
        if self.group is not None:
            self.group.remove()
        release_mounts(self.root)
        shutil.rmtree(self.root, ignore_errors=True)


def release_mounts(folder: Path) -> None:
    """Unmount the socket folders mounted under ``folder`` (also those of jails whose grading process
    was killed before it could remove them)."""
    for line in Path("/proc/self/mounts").read_text().splitlines():
        point = line.split()[1]
        if point.startswith(f"{folder}/"):
            subprocess.run(["umount", "--lazy", point], capture_output=True, check=False)


def without_debugger(kernel_cmd: list[str]) -> list[str]:
    """An IPython kernel's command with ``-m ipykernel_launcher`` replaced by :data:`IPYTHON_LAUNCH`
    (other commands as they are)."""
    for at in range(len(kernel_cmd) - 1):
        if kernel_cmd[at : at + 2] == ["-m", "ipykernel_launcher"]:
            return [*kernel_cmd[:at], "-c", IPYTHON_LAUNCH, *kernel_cmd[at + 2 :]]
    return kernel_cmd


class JailedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in a :class:`Jail`, freshly copied at every (re)start; its
    clients read no message over a size limit (:class:`~autograder.sandbox.client.BoundedKernelClient`)."""

    client_class = DottedObjectName("autograder.sandbox.client.BoundedKernelClient")
    client_factory = Type(BoundedKernelClient, klass=BoundedKernelClient)
    memory_bytes = Integer(
        2 * 1024**3, help="Address-space limit of each process of a student's kernel, in bytes."
    ).tag(config=True)
    group_memory_bytes = Integer(
        2 * 1024**3,
        help="Memory limit of all the processes of a student's kernel together (their swap and tmpfs files too), "
        "in bytes; past it, the kernel's largest process is killed.",
    ).tag(config=True)
    processes = Integer(
        128, help="Limit on the number of processes (threads included) of a student's kernel at once."
    ).tag(config=True)
    cpus = Float(
        1.0,
        help="CPU time all the processes of a student's kernel get together, in CPUs (1.0: one CPU's worth of "
        "each period of wall time), so that one submission takes no more than its share from its classmates.",
    ).tag(config=True)
    tmpfs_bytes = Integer(
        256 * 1024**2,
        help="Bytes a student's kernel may write in each of its working folder (beyond the assignment's files), "
        "home folder, /tmp and /dev/shm (namespaces isolation).",
    ).tag(config=True)
    cgroups = Enum(
        ["required", "if available"],
        default_value="required",
        help="required: refuse to start a kernel without a control group bounding group_memory_bytes, "
        "processes and cpus (they need root and cgroup v1 or v2); if available: without one, rely on "
        "per-process limits.",
    ).tag(config=True)
    cpu_seconds = Integer(300, help="CPU-time limit of a student's kernel, in seconds.").tag(config=True)
    jails_dir = Unicode(
        "", help="Folder to make jails in (default: the system's temporary folder); it must be traversable by all."
    ).tag(config=True)
    isolation = Enum(
        ["namespaces", "user"],
        default_value="namespaces",
        help="namespaces: bubblewrap jail (default); user: run as nobody, for a one-submission container.",
    ).tag(config=True)

    launch = Enum(
        ["cold", "warm"],
        default_value="cold",
        help="cold: every kernel starts Python afresh in its own jail; warm: kernels are forked from a jailed "
        "template that imported NumPy, IPython and ipykernel once (namespaces isolation with control groups "
        "only; see autograder.sandbox.warm).",
    ).tag(config=True)

    jail: Jail | None = None
    template = None  # the warm template (autograder.sandbox.warm.Template) the jail was made for

    def _settings(self) -> dict:
        return dict(
            memory_bytes=self.memory_bytes,
            cpu_seconds=self.cpu_seconds,
            isolation=self.isolation,
            processes=self.processes,
            group_memory_bytes=self.group_memory_bytes,
            cpus=self.cpus,
            tmpfs_bytes=self.tmpfs_bytes,
            cgroups=self.cgroups,
        )

    def _warm_template(self, parent: str | None):  # -> autograder.sandbox.warm.Template | None
        """The template this manager's kernels are forked from: None for cold kernels, also where a
        template cannot run (no control groups, no nested namespaces; the reason is logged)."""
        if self.launch != "warm" or self.isolation != "namespaces":
            return None
        from autograder.sandbox import warm

        try:
            return warm.template_for(Jail(None, Path(parent or tempfile.gettempdir()) / "template", **self._settings()))
        except (Unavailable, OSError, subprocess.CalledProcessError, RuntimeError) as reason:
            self.log.warning("Kernels start cold: no warm template here (%s)", reason)
            return None

    async def _async_pre_start_kernel(self, **kw):
        problem = missing_tools(self.isolation)
        if problem:
            raise RuntimeError(problem)
        if self.jail is None:
            source = Path(kw["cwd"]) if kw.get("cwd") else None
            parent = self.jails_dir or None
            self.template = self._warm_template(parent)
            if self.template is None:
                self.jail = Jail.create(source, parent, **self._settings())
            else:  # a short name: a socket's path has at most 107 characters, and the spool adds a level
                self.jail = Jail.create(source, str(self.template.spool), "j-", **self._settings())
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
        self.jail.hand_over(Path(self.connection_file))
        ipython = any("ipykernel" in part for part in kernel_cmd)
        if ipython:
            kernel_cmd = [*without_debugger(kernel_cmd), *IPYTHON_KERNEL_OPTIONS]
        if self.template is not None and ipython and kernel_cmd[1] == "-c" and self.jail.group is not None:
            process = self.template.start(self.jail, kernel_cmd[1:])
            # What jupyter_client's own launch does after its provisioner started a process.
            self.provisioner.process, self.provisioner.pid, self.provisioner.pgid = process, process.pid, None
            self._reconcile_connection_info(self.provisioner.connection_info)
            return
        await super()._async_launch_kernel(self.jail.command(kernel_cmd), **kw)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        """jupyter_client's wait for a killed kernel's process to end, looking every 10 ms instead of
        every 100 ms: a jail ends within milliseconds of its kill, and the grader waited idle."""
        await super()._async_wait(pollinterval=min(pollinterval, EXIT_POLL_SECONDS))

    def limits_hit(self) -> list[str]:
        """The limits the kernel's processes hit since the last call (also across restarts), as faults
        starting with ``memory limit`` or ``process limit``; empty once the kernel is shut down."""
        return self.jail.limits_hit() if self.jail is not None else []

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self.jail is not None:
            self.jail.remove()
            self.jail = None

"""A jail's control group: one memory cap, one process cap and one CPU cap for all of a kernel's
processes together.

``prlimit`` bounds each process on its own; a control group bounds their sum (memory, swap and the
files they keep in tmpfs), their number (threads count too) and the CPU time they get per period
of wall time (so that a submission running many busy processes takes no more than its share of
the machine from the classmates graded next to it), and counts how often a limit was hit.
Both layouts of Linux control groups are supported:

* cgroup v2 (one hierarchy at ``/sys/fs/cgroup`` whose ``cgroup.controllers`` lists ``memory``,
  ``pids`` and ``cpu``): the group is ``/sys/fs/cgroup/autograder/<name>``, its CPU cap
  ``cpu.max``. ``autograder`` sits right under the root, the one group that may both hold
  processes and hand controllers to its children.
* cgroup v1 or hybrid (``/sys/fs/cgroup/memory``, ``/sys/fs/cgroup/pids`` and
  ``/sys/fs/cgroup/cpu`` are hierarchies of their own): the group is ``<name>`` under this
  process's own group in each of them, its CPU cap ``cpu.cfs_quota_us`` per ``cpu.cfs_period_us``.

A process joins the group before it runs anything (see :meth:`ControlGroup.join_command`), so
every process it ever starts is in the group. A group's name,
``autograder-<pid namespace>-<pid>-<random>``, holds the process that created it; a group whose
creator is gone is removed, with what runs in it, when the next group is created and when a batch
ends. Only groups made in this process's own PID namespace are judged: a grader in a container (or
another PID namespace) that shares the hierarchy has pids that mean nothing here.
Creating groups needs root.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids", "cpu")
#: The CPU cap's period (the kernel's default): the group may use ``cpus`` times this per period.
CPU_PERIOD_MICROSECONDS = 100_000
#: How long removing a group waits for its killed processes to go.
REMOVAL_SECONDS = 5.0


class Unavailable(RuntimeError):
    """Control groups cannot be used here; the message says why."""


@dataclass
class ControlGroup:
    """One group, as its folder in the memory, the pids and the cpu hierarchy (the same folder in v2)."""

    memory: Path
    pids: Path
    cpu: Path
    unified: bool  # cgroup v2
    memory_bytes: int
    processes: int
    cpus: float
    #: Each limit's hit counter when :meth:`limits_hit` last read it.
    seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def create(cls, memory_bytes: int, processes: int, cpus: float = 1.0, root: Path = ROOT) -> ControlGroup:
        """A new, empty group with these limits (``cpus``: how many CPUs' worth of time its
        processes get together); :class:`Unavailable` if control groups cannot be used."""
        unified, parents = _parents(root)
        for parent in set(parents.values()):
            _sweep(parent)
        name = f"autograder-{_pid_namespace()}-{os.getpid()}-{secrets.token_hex(6)}"  # see _sweep
        folders = [parents[controller] / name for controller in CONTROLLERS]
        group = cls(*folders, unified, memory_bytes, processes, cpus)
        quota = max(1000, round(cpus * CPU_PERIOD_MICROSECONDS))
        try:
            for folder in group.folders:
                folder.mkdir()
            if group.unified:
                _write(group.memory / "memory.max", memory_bytes)
                _write(group.memory / "memory.swap.max", 0, optional=True)  # no swap: memory.max bounds all
            else:
                _write(group.memory / "memory.limit_in_bytes", memory_bytes)
                _write(group.memory / "memory.memsw.limit_in_bytes", memory_bytes, optional=True)  # with swap
            _write(group.pids / "pids.max", processes)
            if group.unified:
                _write(group.cpu / "cpu.max", f"{quota} {CPU_PERIOD_MICROSECONDS}")
            else:
                _write(group.cpu / "cpu.cfs_period_us", CPU_PERIOD_MICROSECONDS)
                _write(group.cpu / "cpu.cfs_quota_us", quota)
        except OSError as error:
            group.remove()
            raise Unavailable(f"cannot set up a control group in {error.filename}: {error.strerror}") from None
        return group

    @property
    def folders(self) -> list[Path]:
        """The group's folders, one per hierarchy."""
        return list(dict.fromkeys([self.memory, self.pids, self.cpu]))

    def cpu_quota(self) -> float:
        """The CPUs' worth of time the group's processes get together, as the kernel holds it."""
        if self.unified:
            quota, period = (self.cpu / "cpu.max").read_text().split()
        else:
            quota, period = ((self.cpu / name).read_text() for name in ("cpu.cfs_quota_us", "cpu.cfs_period_us"))
        return float("inf") if quota.strip() in ("max", "-1") else int(quota) / int(period)

    def cpu_throttled(self) -> int:
        """How many periods the group's processes were stopped for having used their CPU time."""
        return _counter(self.cpu / "cpu.stat", "nr_throttled")

    def join_command(self, argv: list[str]) -> list[str]:
        """``argv`` run by a shell that first moves itself into the group (and fails if it cannot)."""
        joins = " && ".join(f"echo $$ > {shlex.quote(str(folder / 'cgroup.procs'))}" for folder in self.folders)
        return ["/bin/sh", "-c", f'{joins} && exec "$@"', "autograder-cgroup", *argv]

    def members(self) -> list[int]:
        """The pids of the group's processes (as the host sees them)."""
        return _processes(self.pids)

    def admit(self, pids: list[int]) -> None:
        """Move these processes into the group, in every hierarchy (their future children are born
        in it; what they used so far stays counted where it was)."""
        for folder in self.folders:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    _write(folder / "cgroup.procs", pid)

    def limits_hit(self) -> list[str]:
        """The limits hit since the last call, each as a fault starting ``memory limit`` or ``process limit``."""
        memory_events = self.memory / ("memory.events" if self.unified else "memory.oom_control")
        counters = {
            f"memory limit: the kernel's processes together used more than {_size(self.memory_bytes)}": _counter(
                memory_events, "oom_kill"
            ),
            f"process limit: more than {self.processes} processes (threads included)": _counter(
                self.pids / "pids.events", "max"
            ),
        }
        hits = [fault for fault, count in counters.items() if count > self.seen.get(fault, 0)]
        self.seen.update(counters)
        return hits

    def cpu_seconds(self) -> float:
        """CPU time (user and system) of the group's processes so far, with their children that
        ended; what processes that ended took is counted only through a parent in the group."""
        ticks = 0
        for pid in _processes(self.pids):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        return ticks / os.sysconf("SC_CLK_TCK")

    def remove(self) -> None:
        """Kill every process in the group, then delete the group (as far as it exists)."""
        deadline = time.monotonic() + REMOVAL_SECONDS
        for folder in self.folders:
            _remove(folder, deadline)


def process_gone(pid: int) -> bool:
    """Whether process ``pid`` has ended: it has no entry in /proc, or only a zombie's (dead, not yet
    reaped: in a container whose PID 1 reaps nothing, a killed worker stays one)."""
    try:
        stat = Path("/proc", str(pid), "stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] in (["Z"], ["X"])


def remove_orphans(root: Path = ROOT) -> None:
    """Remove every group whose creator is gone (e.g. a grading worker that was killed), with what
    runs in it; nothing happens where control groups cannot be used."""
    try:
        _, parents = _parents(root)
    except Unavailable:
        return
    for parent in set(parents.values()):
        _sweep(parent)


def _parents(root: Path) -> tuple[bool, dict[str, Path]]:
    """Whether ``root`` is cgroup v2, and the folder to make groups in, per controller."""
    if (root / "cgroup.controllers").exists():
        return True, dict.fromkeys(CONTROLLERS, _delegating_parent(root))
    return False, _v1_parents(root)


def _delegating_parent(root: Path) -> Path:
    """``root``/autograder, with the memory, pids and cpu controllers handed down to its children."""
    if not set(CONTROLLERS) <= set((root / "cgroup.controllers").read_text().split()):
        raise Unavailable(f"the cgroup v2 hierarchy at {root} lacks the memory, pids or cpu controller")
    parent = root / "autograder"
    enable = " ".join(f"+{controller}" for controller in CONTROLLERS)
    try:
        _write(root / "cgroup.subtree_control", enable)
        parent.mkdir(exist_ok=True)
        _write(parent / "cgroup.subtree_control", enable)
    except OSError as error:
        raise Unavailable(
            f"cannot delegate the {', '.join(CONTROLLERS)} controllers below {root}: {error.strerror}"
        ) from None
    return parent


def _v1_parents(root: Path) -> dict[str, Path]:
    """This process's own group in the v1 memory and pids hierarchies under ``root``."""
    own = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        own.update(dict.fromkeys(controllers.split(","), path.lstrip("/")))
    parents = {}
    for controller in CONTROLLERS:
        hierarchy = root / controller
        if not (hierarchy / "cgroup.procs").exists():
            raise Unavailable(f"{root} has neither a cgroup v2 hierarchy nor a v1 {controller} hierarchy")
        # Inside a container the hierarchy may be mounted from this process's group down.
        mine = hierarchy / own.get(controller, "")
        parents[controller] = mine if mine.is_dir() else hierarchy
    return parents


def _sweep(parent: Path) -> None:
    """Remove the groups in ``parent`` whose creator is gone (a grader killed before it removed its
    jail, maybe while the kernel was starting, before bubblewrap could tie it to its parent)."""
    namespace = _pid_namespace()
    for folder in parent.glob(f"autograder-{namespace}-*-*"):
        creator = folder.name.split("-")[2]
        if creator.isdigit() and not Path(f"/proc/{creator}").exists():
            _remove(folder, time.monotonic() + REMOVAL_SECONDS)


def _pid_namespace() -> str:
    """The inode number of this process's PID namespace (``pid:[4026531836]`` gives 4026531836)."""
    return os.readlink("/proc/self/ns/pid").split("[")[1].rstrip("]")


def _remove(folder: Path, deadline: float) -> None:
    """Kill every process in one group folder, then delete the folder (as far as it exists)."""
    _write(folder / "cgroup.kill", 1, optional=True)
    while (pids := _processes(folder)) and time.monotonic() < deadline:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
    # Gone already, or a process stuck in the kernel past the deadline keeps it: left behind.
    with contextlib.suppress(OSError):
        folder.rmdir()


def _write(path: Path, value: int | str, optional: bool = False) -> None:
    """Write a control file; an ``optional`` one only if the kernel offers it (swap needs swap accounting)."""
    if not optional or path.exists():
        path.write_text(str(value))


def _counter(path: Path, name: str) -> int:
    """The counter ``name`` of a ``name value`` per line file; 0 when absent."""
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return 0
    values = dict(line.split(maxsplit=1) for line in lines if " " in line)
    return int(values.get(name, 0))


def _processes(folder: Path) -> list[int]:
    try:
        return [int(pid) for pid in (folder / "cgroup.procs").read_text().split()]
    except FileNotFoundError:
        return []


def _size(count: int) -> str:
    """Bytes for people: 2 GiB, 256 MiB."""
    if count >= 1024**3:
        return f"{count / 1024**3:g} GiB"
    return f"{count / 1024**2:g} MiB"

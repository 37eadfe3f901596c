"""Warm kernels: what one forked child can do to its siblings, to the template and to the next
student, shown with real jails (run as root), and the cold start where no template can run. The
limits and views every jail has are shown for both launch paths in ``test_jail.py``."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.sandbox import warm
from autograder.sandbox.cgroup import Unavailable
from autograder.sandbox.jail import Jail, JailedKernelManager
from tests.engine.sandbox.programs import errors, printed, start

#: A student's program that says it is running, then waits (for its sibling to try things).
WAITS = "import time\nprint('waiting', flush=True)\ntime.sleep(60)\n"


@pytest.fixture
def template(tmp_path: Path) -> Iterator[warm.Template]:
    """A warm template for jails over an assignment folder holding ``data.txt``; stopped after the test."""
    (tmp_path / "assignment").mkdir()
    (tmp_path / "assignment" / "data.txt").write_text("assignment data\n")
    yield warm.template_for(Jail(None, tmp_path / "template"))
    warm.close_templates()


def started(template: warm.Template, code: str) -> tuple[Jail, warm.ForkedKernel]:
    """A fresh jail in the template's spool and ``code`` forked in it (output in the jail's folder)."""
    jail = Jail.create(Path(template.spool).parent / "assignment", str(template.spool))
    return jail, start(jail, code, template)


def test_a_child_can_name_no_process_but_its_own_and_killing_all_it_can_costs_only_itself(template) -> None:
    """The sibling and the template are in no PID namespace the child can name, so it can neither
    signal nor trace them, and its /proc is empty: ``kill(-1)`` (every process it may signal) ends
    the child alone; the sibling goes on, and the template forks again."""
    sibling, sibling_process = started(template, WAITS)
    assert printed(sibling) == "waiting\n"
    attacker, attacker_process = started(
        template,
        """
        import os, signal

        def exists(pid):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                pass
            return True

        print(os.getpid(), [pid for pid in range(1, 2**15) if exists(pid)], os.listdir("/proc"), flush=True)
        os.kill(-1, signal.SIGKILL)
        """,
    )
    assert printed(attacker) == "2 [1, 2] []\n"  # its program below its PID 1
    assert attacker_process.wait(timeout=10) != 0
    assert sibling_process.poll() is None and template.alive()
    third, third_process = started(template, "print('forked again')")
    assert third_process.wait(timeout=30) == 0 and printed(third) == "forked again\n"
    for jail in (sibling, attacker, third):
        jail.remove()
    assert sibling_process.wait(timeout=10) == -9


LEAVES = """
    import os, random, sys, numpy
    for path in ("/tmp/left", "/dev/shm/left", os.path.expanduser("~/left"), "left", "data.txt"):
        with open(path, "a") as left:
            left.write("left by the first student")
    print(numpy.random.random(), random.random(), flush=True)
    numpy.left = "by the first student"
    sys.modules["left_module"] = numpy
    os.environ["LEFT"] = "1"
    print("left", flush=True)
"""
FINDS = """
    import os, random, sys, numpy
    print(numpy.random.random(), random.random(), flush=True)
    print(sorted(os.listdir("/tmp")), os.listdir("/dev/shm"), sorted(os.listdir(os.path.expanduser("~"))),
          sorted(os.listdir(".")), open("data.txt").read(), hasattr(numpy, "left"), "left_module" in sys.modules,
          "LEFT" in os.environ, os.listdir({spool!r}), flush=True)
"""


def test_nothing_a_student_leaves_in_files_modules_or_environment_is_there_for_the_next(template) -> None:
    first, first_process = started(template, LEAVES)
    assert first_process.wait(timeout=30) == 0
    first_numbers, left = printed(first).splitlines()
    assert left == "left"
    second, second_process = started(template, FINDS.format(spool=str(template.spool)))
    assert second_process.wait(timeout=30) == 0
    second_numbers, found = printed(second).split("\n", 1)
    # In /tmp: the ways to the spool (covered by an empty tmpfs) and to the Python installation if there.
    kept = [Path(template.spool), *map(Path, template.settings.python_dirs)]
    way = sorted({str(path.relative_to("/tmp").parts[0]) for path in kept if path.is_relative_to("/tmp")})
    own = [second.root.name]  # in it, the way to its own socket and line folders only (not the first's)
    assert found == f"{way} [] ['assignment'] ['data.txt'] assignment data\n False False False {own}\n"
    # Random numbers drawn afresh, as in a new Python: not the template's generators' next ones.
    assert set(first_numbers.split()).isdisjoint(second_numbers.split())
    first.remove()
    second.remove()


def test_the_template_runs_in_its_own_control_group_and_each_child_in_its_students(template) -> None:
    jail, process = started(template, WAITS)
    assert printed(jail) == "waiting\n"
    assert set(template.processes) == set(template.group.members())
    assert not set(template.processes) & set(jail.group.members()) and len(jail.group.members()) == 3
    jail.remove()
    assert process.wait(timeout=10) == -9 and template.alive()


def test_a_child_ends_with_its_template_and_the_next_kernel_gets_a_new_template(template, tmp_path: Path) -> None:
    jail, process = started(template, WAITS)
    assert printed(jail) == "waiting\n"
    template.process.kill()
    assert process.wait(timeout=10) == -9  # no exit code: killed with its template
    again = warm.template_for(Jail(None, tmp_path / "template"))
    assert again is not template and again.alive() and not template.alive()
    jail.remove()


UNDOES = """
    import ctypes, os, struct
    libc = ctypes.CDLL(None, use_errno=True)
    data = ctypes.create_string_buffer(24)
    libc.capget(struct.pack("Ii", 0x20080522, 0), data)
    tries = []
    for target in ({spool!r}, "/proc", "/tmp"):
        tries.append(libc.umount2(target.encode(), 2) == 0 or os.strerror(ctypes.get_errno()))
    tries.append(libc.mount(b"none", b"/proc", b"proc", 0, None) == 0 or os.strerror(ctypes.get_errno()))
    print(struct.unpack("6I", data.raw) == (0,) * 6, tries, os.listdir({spool!r}) == [{own!r}], flush=True)
"""


def test_a_child_keeps_no_capability_to_undo_its_mounts(template) -> None:
    """Its new user namespace gave the child every capability there; it gives them up before the
    student's code runs, so the covers over the other jails and the template's /proc stay."""
    jail = Jail.create(Path(template.spool).parent / "assignment", str(template.spool))
    process = start(jail, UNDOES.format(spool=str(template.spool), own=jail.root.name), template)
    assert process.wait(timeout=30) == 0, errors(jail)
    denied = "Operation not permitted"
    assert printed(jail) == f"True {[denied] * 4} True\n"
    jail.remove()


def test_the_python_installation_stays_in_sight_wherever_it_is(tmp_path: Path) -> None:
    """The child's fresh /tmp must not hide a Python installation in /tmp (a course cloned there)."""
    installation = tmp_path / "python"
    installation.mkdir()
    (installation / "installed.py").write_text("WHERE = 'in /tmp'\n")
    (tmp_path / "assignment").mkdir()
    template = warm.template_for(
        Jail(None, tmp_path / "template", python_dirs=[*Jail(None, tmp_path).python_dirs, str(installation)])
    )
    try:
        jail = Jail.create(tmp_path / "assignment", str(template.spool), python_dirs=template.settings.python_dirs)
        code = f"import sys; sys.path.append({str(installation)!r}); import installed; print(installed.WHERE)"
        code += f"; open({str(installation / 'written')!r}, 'w')"
        process = start(jail, code, template)
        assert process.wait(timeout=30) == 1
        assert printed(jail) == "in /tmp\n" and "Read-only file system" in errors(jail)
        jail.remove()
    finally:
        warm.close_templates()


async def ran(manager: JailedKernelManager, code: str) -> tuple[str, warm.Template | None, Path]:
    """``code`` run in a kernel started by ``manager``: what it printed, and the manager's template
    and jail folder while the kernel ran. The kernel is shut down after (its jail too)."""
    client = None
    try:
        await manager.start_kernel()
        template, jail = manager.template, manager.jail.root
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        printed: list[str] = []
        hook = lambda message: printed.append(message["content"].get("text", ""))  # noqa: E731
        await client.execute_interactive(code, output_hook=hook, timeout=60)
        return "".join(printed), template, jail
    finally:
        if client is not None:
            client.stop_channels()
        await manager.shutdown_kernel(now=True)  # the jail too, also when the kernel did not start


def test_a_warm_kernel_starts_wherever_a_cold_one_would_fit_its_sockets() -> None:
    """A socket's path has at most 107 characters: in a jails folder where a cold kernel's sockets
    take 105, a warm kernel (its jail one level deeper, in the template's spool) starts too."""
    cold = len("/autograder-jail-abcdefgh/runtime/kernel-1")
    jails = Path("/tmp") / ("jails-" + "x" * (105 - cold - len("/tmp/jails-")))
    jails.mkdir(mode=0o755)

    manager = JailedKernelManager(kernel_name="python3", launch="warm", jails_dir=str(jails))
    try:
        printed, template, _ = asyncio.run(ran(manager, "print(6 * 7)"))
        assert printed == "42\n" and template is not None  # warm, not fallen back to cold
    finally:
        warm.close_templates()
        shutil.rmtree(jails)


def test_a_template_needs_control_groups_and_without_them_leaves_nothing(tmp_path: Path) -> None:
    not_cgroups = tmp_path / "not-cgroups"
    not_cgroups.mkdir()
    with pytest.raises(Unavailable) as refusal:
        warm.template_for(Jail(None, tmp_path / "template", cgroup_root=str(not_cgroups)))
    assert str(refusal.value) == f"{not_cgroups} has neither a cgroup v2 hierarchy nor a v1 memory hierarchy"
    assert list(tmp_path.iterdir()) == [not_cgroups]  # no spool
    assert str(tmp_path) not in Path("/proc/self/mounts").read_text()


def test_where_no_template_can_run_kernels_start_cold_and_the_log_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The template's start fails as above (here made to fail, as the manager cannot be pointed at
    another cgroup hierarchy); the kernel starts cold, in a jail of its own, and runs."""

    def no_template(settings: Jail) -> warm.Template:
        raise Unavailable(f"{settings.cgroup_root} stands for a machine without control groups")

    monkeypatch.setattr(warm, "template_for", no_template)
    log = logging.getLogger("test-warm-fallback")
    warnings: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: warnings.append(record.getMessage())  # type: ignore[method-assign]
    log.addHandler(handler)

    manager = JailedKernelManager(kernel_name="python3", launch="warm", jails_dir=str(tmp_path), log=log)
    try:
        printed, template, jail = asyncio.run(ran(manager, "print(6 * 7)"))
    finally:
        log.removeHandler(handler)
    assert printed == "42\n" and template is None  # cold: in a jail of its own, not in a template's spool
    assert jail.parent == tmp_path and jail.name.startswith("autograder-jail-")
    assert warnings == [
        "Kernels start cold: no warm template here (/sys/fs/cgroup stands for a machine without control groups)"
    ]

"""The jail's limits, shown with real commands in real jails (run as root): the memory of all a
kernel's processes together, their number, the size of everything it can write, the clean-up of
what it leaves, and a clear refusal when control groups cannot be used.

What a jail's code sees and is allowed is shown for both ways of starting it (``launch``): cold (a
fresh Python in bubblewrap) and warm (forked from a jailed template, :mod:`autograder.sandbox.warm`)."""

from __future__ import annotations

import asyncio
import errno
import json
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zmq

import autograder
from autograder.sandbox import cgroup, warm
from autograder.sandbox.jail import Jail, JailedKernelManager, release_mounts
from tests.engine.sandbox.programs import errors, printed, start

MiB = 1024**2
MEMORY_FAULT = "memory limit: the kernel's processes together used more than 256 MiB"
PROCESS_FAULT = "process limit: more than 16 processes (threads included)"


#: The warm template each warm jail was made for (its code is forked from it), by the jail's folder.
TEMPLATES: dict[Path, warm.Template] = {}


@pytest.fixture(params=["cold", "warm"])
def launch(request: pytest.FixtureRequest) -> Iterator[str]:
    """How the jail's code starts; warm templates are stopped after the test."""
    yield request.param
    warm.close_templates()


def jail_in(parent: Path, launch: str, source: Path | None = None, **settings: int | str) -> Jail:
    """A jail in ``parent``; a warm one in the spool of a template with the same settings."""
    if launch == "warm":
        template = warm.template_for(Jail(None, parent / "template", **settings))
        jail = Jail.create(source, str(template.spool), **settings)
        TEMPLATES[jail.root] = template
        return jail
    return Jail.create(source, str(parent), **settings)


@pytest.fixture
def make_jail(tmp_path: Path) -> Iterator[Callable[..., Jail]]:
    """Jails over an assignment folder holding ``data.txt``, removed after the test (``launch``:
    ``"warm"`` for one whose code is forked from a warm template)."""
    source = tmp_path / "assignment"
    source.mkdir()
    (source / "data.txt").write_text("assignment data\n")
    jails: list[Jail] = []

    def make(launch: str = "cold", **settings: int | str) -> Jail:
        jails.append(jail_in(tmp_path, launch, source, **settings))
        return jails[-1]

    yield make
    for jail in jails:
        TEMPLATES.pop(jail.root, None)
        jail.remove()


def start_python(jail: Jail, code: str) -> subprocess.Popen | warm.ForkedKernel:
    """``code`` started in ``jail``: forked from its template for a warm jail (see :func:`jail_in`)."""
    return start(jail, code, TEMPLATES.get(jail.root))


def run_python(jail: Jail, code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``code`` run by this project's Python in ``jail`` (TimeoutExpired after ``timeout`` seconds)."""
    process = start_python(jail, code)
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    stdout, stderr = ((jail.root / name).read_text() for name in ("stdout", "stderr"))
    return subprocess.CompletedProcess(code, returncode, stdout, stderr)


ALLOCATE = """
    import subprocess, sys
    hold = "data = b'x' * {mib} * 2**20; import time; time.sleep(1)"
    children = [subprocess.Popen([sys.executable, "-c", hold]) for _ in range({children})]
    print(sorted(child.wait() for child in children))
"""


def test_three_processes_share_one_memory_limit_and_the_hit_is_named_once(make_jail, launch) -> None:
    jail = make_jail(launch, group_memory_bytes=256 * MiB, memory_bytes=1024 * MiB)
    done = run_python(jail, ALLOCATE.format(mib=150, children=3))  # each alone is under both limits
    assert done.returncode == 0, done.stderr
    codes = json.loads(done.stdout)
    # The group's OOM killer kills (SIGKILL) a child at a time until the rest fit; the parent is untouched.
    assert -9 in codes and 0 in codes and set(codes) == {0, -9}
    assert jail.limits_hit() == [MEMORY_FAULT]
    assert jail.limits_hit() == []  # only hits new since the last call


def test_one_process_under_the_memory_limit_runs_and_no_limit_is_hit(make_jail, launch) -> None:
    jail = make_jail(launch, group_memory_bytes=256 * MiB, memory_bytes=1024 * MiB)
    done = run_python(jail, ALLOCATE.format(mib=150, children=1))
    assert (done.returncode, done.stdout) == (0, "[0]\n"), done.stderr
    assert jail.limits_hit() == []


def test_a_fork_loop_fails_at_the_process_limit_and_the_hit_is_named(make_jail, launch) -> None:
    jail = make_jail(launch, processes=16)
    done = run_python(
        jail,
        """
        import os, signal
        children = []
        try:
            while len(children) < 100:
                pid = os.fork()
                if pid == 0:
                    signal.pause()
                children.append(pid)
        except OSError as error:
            print(error.errno, 0 < len(children) < 16)
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        """,
    )
    assert (done.returncode, done.stdout) == (0, f"{errno.EAGAIN} True\n"), done.stderr
    assert jail.limits_hit() == [PROCESS_FAULT]


def test_every_writable_folder_is_a_size_limited_tmpfs_and_the_assignment_files_are_in_the_working_folder(
    make_jail, launch
) -> None:
    jail = make_jail(launch, tmpfs_bytes=32 * MiB, group_memory_bytes=256 * MiB)
    done = run_python(
        jail,
        """
        import os
        print(open("data.txt").read(), end="")
        with open("data.txt", "a") as data:
            data.write("and the student's line\\n")
        print(open("data.txt").read(), end="")
        for path in ("/tmp/fill", "/dev/shm/fill", "fill", os.path.expanduser("~/fill")):
            written = 0
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT)
            try:
                while written < 40 * 2**20:
                    written += os.write(descriptor, b"x" * 2**20)
            except OSError as error:
                print(path, error.errno, written // 2**20)
            os.close(descriptor)
            os.remove(path)
        descriptor, written = os.open(os.environ["JUPYTER_RUNTIME_DIR"] + "/fill", os.O_WRONLY | os.O_CREAT), 0
        try:
            while written < 40 * 2**20:
                written += os.write(descriptor, b"x" * 2**18)
        except OSError as error:
            print("socket folder", error.errno, written // 2**20)
        for path in ("/fill", "/dev/fill"):
            try:
                open(path, "w")
            except OSError as error:
                print(path, error.errno)
        """,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "assignment data",
        "assignment data",
        "and the student's line",
        f"/tmp/fill {errno.ENOSPC} 32",
        f"/dev/shm/fill {errno.ENOSPC} 32",
        f"fill {errno.ENOSPC} 32",
        f"/home/student/fill {errno.ENOSPC} 32",
        f"socket folder {errno.ENOSPC} 1",
        f"/fill {errno.EROFS}",
        f"/dev/fill {errno.EROFS}",
    ]
    assert (jail.workdir / "data.txt").read_text() == "assignment data\n"  # the host copy is input only
    assert jail.limits_hit() == []


LEAVES = """
    import subprocess, time
    subprocess.Popen(["setsid", "sleep", "1000"])
    subprocess.Popen(["sleep", "1000"])
    print("started", flush=True)
    time.sleep(1000)
"""


@pytest.mark.parametrize(("isolation", "launch"), [("namespaces", "cold"), ("namespaces", "warm"), ("user", "cold")])
def test_removing_a_jail_kills_its_leftover_processes_and_deletes_its_control_group(
    make_jail, isolation, launch
) -> None:
    """Also a detached process (``setsid``); warm kernels exist only with namespaces isolation."""
    jail = make_jail(launch, isolation=isolation)
    kernel = start_python(jail, LEAVES)
    assert printed(jail) == "started\n", errors(jail)
    folders = jail.group.folders
    pids = {int(pid) for folder in folders for pid in (folder / "cgroup.procs").read_text().split()}
    assert len(pids) >= 3 and kernel.pid in pids
    jail.remove()
    assert [pid for pid in pids if not cgroup.process_gone(pid)] == []
    assert kernel.wait(timeout=5) == -9
    assert [folder for folder in folders if folder.exists()] == []
    assert not jail.root.exists()


CREATOR = """
    import json, subprocess, sys
    from autograder.sandbox.jail import Jail
    jail = Jail.create(None, sys.argv[1], isolation="user")
    script = "setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $!"
    leftover = subprocess.run(jail.command(["/bin/sh", "-c", script]), capture_output=True, text=True).stdout
    print(json.dumps([int(leftover), [str(folder) for folder in jail.group.folders]]))
"""


def test_a_jail_left_by_a_grader_that_is_gone_is_removed_with_its_processes_when_the_next_is_made(
    make_jail, tmp_path: Path
) -> None:
    project = Path(autograder.__file__).parent.parent
    creator = [sys.executable, "-c", textwrap.dedent(CREATOR), str(tmp_path)]
    done = subprocess.run(creator, capture_output=True, text=True, timeout=60, cwd=project)  # exits, jail left
    assert done.returncode == 0, done.stderr
    leftover, folders = json.loads(done.stdout)
    assert not cgroup.process_gone(leftover) and all(Path(folder).is_dir() for folder in folders)
    make_jail()
    assert cgroup.process_gone(leftover)
    assert [folder for folder in folders if Path(folder).exists()] == []


WARM_CREATOR = """
    import json, os, sys, time
    from pathlib import Path
    from autograder.sandbox import warm
    from autograder.sandbox.jail import Jail
    template = warm.template_for(Jail(None, Path(sys.argv[1]) / "template"))
    jail = Jail.create(None, str(template.spool))
    output = (jail.root / "stdout", jail.root / "stderr")
    for path in output:
        path.touch()
    template.start(jail, ["-c", sys.argv[2]], output)
    while not output[0].read_text():
        time.sleep(0.02)
    groups = [str(folder) for group in (jail.group, template.group) for folder in group.folders]
    print(json.dumps([jail.group.members() + template.group.members(), groups]), flush=True)
    os._exit(0)  # as if killed: no clean-up
"""


def test_a_warm_kernel_dies_with_its_grader_and_its_groups_are_removed_when_the_next_jail_is_made(
    make_jail, tmp_path: Path
) -> None:
    """A grader killed while it grades leaves neither a template nor a kernel nor what the kernel
    started (bubblewrap ends the template with its grader, and every child with its template); the
    control groups go at the next jail's sweep, the spool's mounts when the batch releases its jails
    folder's mounts."""
    project = Path(autograder.__file__).parent.parent
    creator = [sys.executable, "-c", textwrap.dedent(WARM_CREATOR), str(tmp_path), textwrap.dedent(LEAVES)]
    try:
        done = subprocess.run(creator, capture_output=True, text=True, timeout=60, cwd=project)
        assert done.returncode == 0, done.stderr
        pids, folders = json.loads(done.stdout)
        assert len(pids) == 8  # the child, its PID 1, its program, its 2 leftovers; bubblewrap's two, the template
        deadline = time.monotonic() + 10
        while not all(cgroup.process_gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in pids if not cgroup.process_gone(pid)] == []
        assert all(Path(folder).is_dir() for folder in folders)
        make_jail()
        assert [folder for folder in folders if Path(folder).exists()] == []
    finally:
        cgroup.remove_orphans()  # what a failure left
        release_mounts(tmp_path)


def test_a_jail_made_in_another_pid_namespace_is_left_alone(make_jail, tmp_path: Path) -> None:
    """Its creator's pid means nothing here (a grader in a container sharing the hierarchy): its
    group must survive the sweep, though no process here has that pid."""
    project = Path(autograder.__file__).parent.parent
    # A few hundred short processes first, so that the creator's pid there is one no process has
    # here; should a process here have it after all, again with more.
    code = textwrap.dedent(CREATOR)
    for count in range(300, 800, 50):
        script = f'for i in $(seq {count}); do /bin/true; done; "$0" "$@"'
        creator = ["unshare", "--pid", "--fork", "/bin/sh", "-c", script, sys.executable, "-c", code]
        done = subprocess.run([*creator, str(tmp_path)], capture_output=True, text=True, timeout=60, cwd=project)
        assert done.returncode == 0, done.stderr
        _, folders = json.loads(done.stdout)
        if not Path(f"/proc/{Path(folders[0]).name.split('-')[2]}").exists():  # a pid unknown here
            break
        for folder in folders:
            Path(folder).rmdir()
    try:
        assert not Path(f"/proc/{Path(folders[0]).name.split('-')[2]}").exists()
        make_jail()
        assert all(Path(folder).is_dir() for folder in folders)
    finally:
        for folder in folders:
            Path(folder).rmdir()  # its namespace ended with its creator, and its processes with it


def test_required_control_groups_that_cannot_be_used_refuse_the_jail_with_the_reason(tmp_path: Path) -> None:
    not_cgroups = tmp_path / "not-cgroups"
    not_cgroups.mkdir()
    with pytest.raises(RuntimeError) as refusal:
        Jail.create(None, str(tmp_path), cgroup_root=str(not_cgroups))
    assert str(refusal.value) == (
        "the jail needs a control group to bound a kernel's memory, processes and CPU, but "
        f"{not_cgroups} has neither a cgroup v2 hierarchy nor a v1 memory hierarchy "
        "(run as root, or set c.JailedKernelManager.cgroups = 'if available' to go without)"
    )
    assert list(tmp_path.iterdir()) == [not_cgroups]  # no jail folder left behind


def test_control_groups_if_available_go_without_them_when_they_cannot_be_used(make_jail, tmp_path: Path) -> None:
    jail = make_jail(cgroups="if available", cgroup_root=str(tmp_path))
    assert jail.group is None
    done = run_python(jail, "print(open('data.txt').read(), end='')")
    assert (done.returncode, done.stdout) == (0, "assignment data\n"), done.stderr
    assert jail.limits_hit() == []


def test_a_kernel_killed_by_the_memory_limit_is_named_by_its_manager_until_asked(tmp_path: Path, launch) -> None:
    async def kill_a_kernel() -> list[list[str]]:
        manager = JailedKernelManager(kernel_name="python3", group_memory_bytes=256 * MiB, launch=launch)
        await manager.start_kernel(cwd=str(tmp_path))
        jails.append(manager.jail.root)
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            client.execute("data = b'x' * 400 * 2**20")
            deadline = time.monotonic() + 20
            while await manager.is_alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            return [manager.limits_hit(), manager.limits_hit()]
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    jails: list[Path] = []  # in the system's temporary folder: socket paths must be short
    assert asyncio.run(kill_a_kernel()) == [[MEMORY_FAULT], []]
    assert not jails[0].exists()  # the jail is gone with the kernel


LOADED = """
import sys, json
from selfcheck_module import ANSWER
debugger = ('debugpy', '_pydevd_bundle')
loaded = [name for name, module in sys.modules.items() if module and name.split('.')[0] in debugger]
print(json.dumps([loaded, ANSWER]))
"""


def test_a_jailed_kernel_starts_without_the_debugger_and_imports_from_its_working_folder(
    tmp_path: Path, launch
) -> None:
    (tmp_path / "selfcheck_module.py").write_text("ANSWER = 42\n")

    async def ask_a_kernel() -> tuple[list[str], str]:
        manager = JailedKernelManager(kernel_name="python3", launch=launch)
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            info = await client.kernel_info(reply=True, timeout=60)
            printed: list[str] = []
            hook = lambda message: printed.append(message["content"].get("text", ""))  # noqa: E731
            await client.execute_interactive(LOADED, output_hook=hook, timeout=60)
            return info["content"]["supported_features"], "".join(printed)
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    features, printed = asyncio.run(ask_a_kernel())
    assert "debugger" not in features
    assert json.loads(printed) == [[], 42]


# --- What the jail's code sees from inside: its user, its network, its processes ----------------


def test_the_kernel_runs_as_uid_65534_with_no_network_but_an_unused_loopback(make_jail, launch) -> None:
    done = run_python(
        make_jail(launch),
        """
        import os, socket
        print(os.getuid(), os.geteuid(), os.getgid(), os.getgroups())
        print([name for _, name in socket.if_nameindex()])
        for address in (("1.1.1.1", 53), ("127.0.0.1", 8888)):
            try:
                socket.create_connection(address, timeout=2)
                print("connected", address[0])
            except OSError as error:
                print(type(error).__name__, address[0])
        """,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "65534 65534 65534 []",
        "['lo']",
        "OSError 1.1.1.1",  # no route: there is no network device but the loopback
        "ConnectionRefusedError 127.0.0.1",  # the loopback is the jail's own, and nobody listens there
    ]


def test_the_kernel_sees_only_its_own_processes_and_a_detached_one_dies_with_it(make_jail, launch) -> None:
    """The PID namespace: the host's processes (this test's) are not in the jail's /proc, and a
    process the kernel detached (setsid, in the background) dies when the kernel's command ends,
    before the jail is removed."""
    jail = make_jail(launch)
    done = run_python(
        jail,
        """
        import os, subprocess
        pids = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
        leftover = subprocess.Popen(["setsid", "sleep", "1000"], start_new_session=True)
        print(len(pids) <= 3, os.getpid() < 10, os.getppid() <= 2)
        """,
        timeout=15,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "True True True"
    deadline = time.monotonic() + 5
    living = lambda: [pid for pid in jail_processes(jail) if not cgroup.process_gone(pid)]  # noqa: E731
    while (sleepers := living()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sleepers == []


def jail_processes(jail: Jail) -> list[int]:
    """The pids in the jail's control group (its processes, wherever their PID namespace is)."""
    return [int(pid) for folder in jail.group.folders for pid in (folder / "cgroup.procs").read_text().split()]


def test_a_process_over_its_cpu_time_is_killed(make_jail, launch) -> None:
    done = run_python(make_jail(launch, cpu_seconds=1), "while True: pass", timeout=15)
    assert done.returncode in (-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGXCPU, 128 + signal.SIGKILL)


def test_one_process_over_its_address_space_gets_a_memory_error_though_the_group_has_room(make_jail, launch) -> None:
    """The per-process cap (prlimit --as), with the group's cap and the machine's memory far above the
    allocation, so only that cap can stop it."""
    jail = make_jail(launch, memory_bytes=1024 * MiB, group_memory_bytes=4096 * MiB)
    done = run_python(
        jail,
        """
        try:
            data = bytearray(1536 * 2**20)
            print("allocated", len(data) // 2**20)
        except MemoryError:
            print("MemoryError")
        """,
    )
    assert (done.returncode, done.stdout) == (0, "MemoryError\n"), done.stderr
    assert jail.limits_hit() == []


HOG = """
    import os, subprocess, sys, time
    spin = "import time\\nend = time.time() + 2\\nwhile time.time() < end: pass"
    started = time.time()
    children = [subprocess.Popen([sys.executable, "-c", spin], start_new_session=True) for _ in range(4)]
    for child in children:
        child.wait()
    times = os.times()
    print(times.children_user + times.children_system, time.time() - started)
"""


def test_a_jails_processes_together_get_at_most_their_cpu_share(make_jail, launch) -> None:
    """Round three, item 4: four busy processes, each in a session of its own, get one CPU's worth
    of time together, not the machine's (the kernel throttles the group)."""
    jail = make_jail(launch, cpus=1.0)
    assert jail.group.cpu_quota() == 1.0
    done = run_python(jail, HOG)
    assert done.returncode == 0, done.stderr
    cpu, wall = map(float, done.stdout.split())
    assert cpu < 1.25 * wall  # four processes on two or more cores would take up to twice the wall time
    assert jail.group.cpu_throttled() > 0


def test_the_cpu_time_of_the_jails_processes_is_counted(make_jail, launch) -> None:
    """What the benchmark reports as a kernel's CPU time: its jail's processes', children included."""
    jail = make_jail(launch)
    code = "import subprocess, sys, time; subprocess.run([sys.executable, '-c', 'sum(range(10**8))'])"
    code += "; print('done', flush=True); time.sleep(60)"
    kernel = start_python(jail, code)
    deadline = time.monotonic() + 60
    while (jail.root / "stdout").read_text() != "done\n" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert 0.2 < jail.group.cpu_seconds() < 30  # the child's sum alone takes about 0.5 s
    jail.remove()
    assert kernel.wait(timeout=5) == -9


def test_the_graders_lines_folder_is_read_only_in_the_jail_but_its_sockets_connect(launch) -> None:
    """Round three, item 8: the kernel bridge's line is bound in a folder the kernel cannot write
    (it once lived in the kernel's own socket folder, where a kernel could plant links or sockets
    named like it), and the kernel still reaches a socket the grader binds there. (The jail is in
    /tmp itself: a socket's path has at most 107 characters, and pytest's folders can be longer.)"""
    jail = jail_in(Path("/tmp"), launch)
    context = zmq.Context.instance()
    line = context.socket(zmq.PAIR)
    line.linger = 0
    line.bind(f"ipc://{jail.lines_dir / 'line-1'}")
    try:
        code = f"""
            import errno, os, zmq
            lines = {str(jail.lines_dir)!r}
            for attempt in (lambda: open(os.path.join(lines, "planted"), "w"),
                            lambda: os.symlink("/etc/passwd", os.path.join(lines, "line-2")),
                            lambda: os.unlink(os.path.join(lines, "line-1"))):
                try:
                    attempt()
                    print("done")
                except OSError as error:
                    print(errno.errorcode[error.errno])
            line = zmq.Context.instance().socket(zmq.PAIR)
            line.connect("ipc://" + os.path.join(lines, "line-1"))
            line.send(b"from the kernel")
            line.close(linger=2000)
        """
        done = run_python(jail, code)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["EROFS", "EROFS", "EROFS"]
        assert line.poll(10_000) and line.recv() == b"from the kernel"
        assert sorted(path.name for path in jail.lines_dir.iterdir()) == ["line-1"]
    finally:
        line.close()
        jail.remove()

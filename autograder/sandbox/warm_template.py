"""The warm template: the program one jailed process per grading worker runs (``python -c`` of this
file's text, inside the same bubblewrap jail as a cold kernel's; it sees neither the course nor this
package).

It imports NumPy, IPython and ipykernel once, never runs a student's code and never reads a file a
student wrote. For every line on its standard input (a JSON request, see :func:`isolate`) it forks
a child and answers with the child's pid (its first line says it is ready); the child waits for the
grader's next line ("go", once the grader has seen the child in the student's control group and
knows its pid there). The child, before any student code runs:

* enters fresh user, mount, PID, IPC and UTS namespaces of its own;
* gets fresh size-limited tmpfs for its working folder (a copy of the assignment's files), home,
  ``/tmp`` and ``/dev/shm``; the spool of jails is covered by an empty read-only tmpfs except its own
  socket folder and (read-only) the grader's line folder, so siblings' folders are out of sight;
* closes every descriptor it inherited, sets its rlimits (address space, CPU time) and gives up
  every capability the new user namespace gave it, for good (no new privileges);
* covers ``/proc`` (the template's, which lists its PID namespace) with an empty one: bubblewrap's
  read-only parts of it forbid mounting a fresh one there;
* forks a PID 1 of its new PID namespace that reaps orphans, which forks the program: ``python -c
  CODE ARGS`` run in the warm process (for a kernel, the same launch code as a cold kernel's). The
  student's code runs below PID 1, so nothing it does can see, signal or trace a sibling or the
  template.

The grader puts the template into the student's control group for the fork (see
:mod:`autograder.sandbox.warm`), so the child is born there.
"""

import ctypes
import errno
import fcntl
import json
import os
import resource
import signal
import socket
import struct
import sys
import traceback
import types

LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
#: The descriptor the child keeps for its exit code (closed in its namespace's processes).
EXIT_DESCRIPTOR = 3
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 1, 24, 38, 47, 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522
#: ioctl to set a network device's flags, and the flags of a loopback that is up.
SIOCSIFFLAGS, IFF_UP_LOOPBACK_RUNNING = 0x8914, 0x1 | 0x8 | 0x40
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE, MNT_DETACH = 4096, 16384, 1 << 18, 2


def _checked(result: int, what: str) -> None:
    if result != 0:
        raise OSError(ctypes.get_errno(), f"{what}: {os.strerror(ctypes.get_errno())}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda text: None if text is None else text.encode()  # noqa: E731
    _checked(LIBC.mount(encode(source), encode(target), encode(kind), flags, encode(data)), f"mount {target}")


def _tmpfs(target: str, size: int) -> None:
    os.makedirs(target, exist_ok=True)
    _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=0755")


def _bind(source: str, target: str, read_only: bool = False) -> None:
    os.makedirs(target, exist_ok=True)
    _mount(source, target, None, MS_BIND | MS_REC)
    if read_only:
        _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _copy_tree(source: str, target: str) -> None:
    """The assignment's files into the fresh working folder (as ``cp -R`` in a cold jail)."""
    for folder, _, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        destination = target if relative == "." else os.path.join(target, relative)
        os.makedirs(destination, exist_ok=True)
        for name in files:
            with open(os.path.join(folder, name), "rb") as given, open(os.path.join(destination, name), "wb") as copy:
                while chunk := given.read(1 << 20):
                    copy.write(chunk)


def isolate(request: dict) -> None:
    """Everything the child does before the kernel starts. ``request``: ``spool`` (the folder of all
    jails, seen at its host path), ``files``, ``runtime`` and ``lines`` (this jail's folders in it),
    ``workdir``, ``home``, ``tmpfs_bytes``, ``files_bytes``, ``memory_bytes``, ``cpu_seconds``;
    ``keep`` (the Python installation's folders, read-only wherever they are); ``output`` (files for
    standard output and error, else nowhere) and ``exit_file``, in the spool."""
    os.setsid()
    uid, gid = os.getuid(), os.getgid()
    namespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET
    _checked(LIBC.unshare(namespaces), "unshare")
    with open("/proc/self/setgroups", "w") as setgroups:
        setgroups.write("deny")
    with open("/proc/self/uid_map", "w") as uid_map:
        uid_map.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as gid_map:
        gid_map.write(f"{gid} {gid} 1")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as device:  # its own loopback, as bubblewrap's
        fcntl.ioctl(device, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", IFF_UP_LOOPBACK_RUNNING))
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    for descriptor, path in enumerate(request.get("output") or (os.devnull, os.devnull), start=1):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), descriptor)
    os.dup2(os.open(request["exit_file"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), EXIT_DESCRIPTOR)
    size, home = request["tmpfs_bytes"], request["home"]
    _tmpfs(home, size)
    _tmpfs(request["workdir"], size + request["files_bytes"])
    _copy_tree(request["files"], request["workdir"])
    # What the covers below would hide and must stay: its socket folder, the grader's line folder
    # (read-only) and the Python installation (read-only) where they are in /tmp, say.
    held = {request["runtime"]: False, request["lines"]: True, **dict.fromkeys(request["keep"], True)}
    holders = {path: f"{home}/.held-{number}" for number, path in enumerate(held)}
    for path, holder in holders.items():
        _bind(path, holder)
    for folder in ("/tmp", "/dev/shm"):  # (the spool may be in /tmp: out of sight from here on)
        _tmpfs(folder, size)
    _tmpfs(request["spool"], 1 << 20)  # siblings' folders out of sight
    for path, holder in holders.items():
        _bind(holder, path, read_only=held[path])
        _checked(LIBC.umount2(holder.encode(), MNT_DETACH), f"umount {holder}")
        os.rmdir(holder)
    _mount(None, request["spool"], None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    # The template's /proc shows its PID namespace (siblings included), and a fresh one cannot be
    # mounted under bubblewrap's read-only parts of it: a warm kernel has an empty /proc.
    _mount("tmpfs", "/proc", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4096")
    os.closerange(EXIT_DESCRIPTOR + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    resource.setrlimit(resource.RLIMIT_AS, (request["memory_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (request["cpu_seconds"],) * 2)
    drop_capabilities()


def drop_capabilities() -> None:
    """Give up every capability the new user namespace gave (as bubblewrap does for a cold kernel),
    for good: none left to undo the mounts above with, none to regain through a program run later."""
    for capability in range(64):
        if LIBC.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            if ctypes.get_errno() == errno.EINVAL:  # past the last capability this kernel knows
                break
            _checked(-1, f"drop capability {capability}")
    _checked(LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities")
    header = struct.pack("Ii", LINUX_CAPABILITY_VERSION_3, 0)
    _checked(LIBC.capset(header, bytes(24)), "capset")  # effective, permitted, inheritable: none
    _checked(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no new privileges")


def child(request: dict, hold: int) -> None:
    """The forked child: once ``hold`` (a pipe's reading end) is closed at its other end, isolated,
    then PID 1 of its namespace, whose child runs the program. When the namespace has ended, its
    exit code goes to ``exit_file`` (opened before, out of the namespace's sight, and closed in it)."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _checked(LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL), "prctl")  # ends with the template
    os.read(hold, 1)  # until the template lets it go on (or ended)
    os.close(hold)
    isolate(request)
    first = os.fork()  # PID 1 of the new namespace
    if first:
        code = os.waitstatus_to_exitcode(os.waitpid(first, 0)[1])
        os.write(EXIT_DESCRIPTOR, str(code).encode())
        os._exit(code & 0xFF)
    os.close(EXIT_DESCRIPTOR)
    _checked(LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL), "prctl")  # and its namespace with the child
    program = os.fork()
    if program:
        while True:  # PID 1: reap every orphan; end with the program (the namespace's processes with it)
            pid, status = os.wait()
            if pid == program:
                code = os.waitstatus_to_exitcode(status)
                os._exit(code if code >= 0 else 128 - code)  # killed by a signal: 128 + it, as a shell
    raise SystemExit(run(request))  # Python then ends as usual (its exit handlers, a ZeroMQ socket's linger)


def run(request: dict) -> int:
    """``python -c CODE ARGS...`` (``request["argv"]``) in this warm process: in the working folder,
    with the jail's environment; its exit code."""
    os.chdir(request["workdir"])
    os.environ.clear()
    os.environ.update(request["environment"])
    sys.stdin = open(os.devnull)  # not the template's reader, which may hold a request read ahead
    sys.modules["numpy"].random.seed()  # NumPy's global generator afresh, as in a new Python (random reseeds itself)
    code, *args = request["argv"][1:]
    sys.argv = ["-c", *args]
    sys.path.insert(0, "")  # as python -c
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    try:
        exec(compile(code, "<string>", "exec"), main.__dict__)
        status = 0
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if not isinstance(stop.code, (int, type(None))):
            print(stop.code, file=sys.stderr)
    except BaseException:  # as Python prints an uncaught exception
        traceback.print_exc()
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    return status


def serve() -> None:
    """Import the warm part, then fork a child per request line, answer each with its pid and let
    the child go on at the grader's next line (children are reaped by the system: the template
    ignores SIGCHLD)."""
    if sys.path[0] == "":
        del sys.path[0]  # added back by IPython in the kernel, as ipykernel_launcher does
    sys.modules["debugpy"] = None  # as a cold kernel: no debugger
    import ipykernel.kernelapp  # noqa: F401
    import IPython  # noqa: F401
    import numpy  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        hold, release = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(release)
            try:
                child(request, hold)
            except SystemExit:
                raise  # the program's end, in its own process: nothing else runs there
            except BaseException:
                os._exit(70)
            os._exit(70)
        os.close(hold)
        print(pid, flush=True)
        sys.stdin.readline()  # the grader's "go"
        os.close(release)


if __name__ == "__main__":
    serve()

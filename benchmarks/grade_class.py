"""Benchmark: grading a class of N synthetic submissions three ways, on this machine.

1. stock sequential ``nbgrader autograde sheet12``: nbgrader's default configuration (its own
   execute step, no jail, the test cells run in the student's kernel), what an instructor runs
   instead of this project;
   then plain sequential ``nbgrader autograde sheet12`` with the course's config (so the same
   trusted grading) in a fresh course copy;
2. the project's ``python -m autograder grade FOLDER`` (parallel, all cores);
3. the floor: executing the same notebooks once with nbclient in an ordinary kernel, one
   after another, without any grading;
4. with ``--dask``: the project's command on a Dask cluster of 1 and of 2 one-thread workers
   started on this machine as separate processes (``--scheduler``), for the throughput per worker;
5. with ``--hog``: the sample attack ``cpu_hog`` (a hundred busy processes, here for twenty
   seconds, under the cell time limit) graded by the project's command next to five correct
   classmates, and the same class with a correct submission in its place: each classmate's
   grading wall time (from its grading record);
6. with ``--gradescope``: the Gradescope bundle's ``run_autograder`` on one submission, from the
   submission to ``results.json``, as Gradescope runs it: in the bundle unzipped and prepared as
   its ``setup.sh`` prepares it (three times; the median and the range).

``--project-only`` grades with the project's command alone (for large N). For every N it prints the
project's CPU time per student by stage and the peak resident memory of its command's process and of
a grading process.

Usage: ``python benchmarks/grade_class.py [N ...] [--no-floor] [--dask] [--hog] [--gradescope] [--project-only]``
(default N: 25 50 100). Prints wall times, submissions per second and the speed-up over stock nbgrader
and over nbgrader with the course's steps; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import assignments  # noqa: E402
from autograder.gradescope.bundle import build_bundle  # noqa: E402
from autograder.grading.records import RECORDS_DIRNAME  # noqa: E402
from autograder.grading.records import load as load_record  # noqa: E402
from tests.conftest import copy_course_repository  # noqa: E402
from tests.local_cluster import processes_here  # noqa: E402

SHEET12 = assignments.load("sheet12")


def synthetic_class(n: int) -> dict[str, nbformat.NotebookNode]:
    """A mix: 6 in 10 correct, 3 in 10 with one named mistake, 1 in 10 with a syntax error."""
    catalogue = SHEET12.samples()
    correct = SHEET12.submission(catalogue["correct"])
    faulty = SHEET12.submission(SHEET12.samples("attacks")["syntax_error"])
    mistaken = [SHEET12.submission(sample) for sample in catalogue.values() if sample.scores]
    notebooks = {}
    for index in range(n):
        kind = index % 10
        if kind < 6:
            notebooks[f"student{index:04d}"] = correct
        elif kind < 9:
            notebooks[f"student{index:04d}"] = mistaken[index % len(mistaken)]
        else:
            notebooks[f"student{index:04d}"] = faulty
    return notebooks


#: CPU seconds of every process a command started, by name: see :func:`timed`.
CPU: dict[str, float] = {}
#: The cgroup v1 CPU accounting hierarchy: a command's group counts every process it starts, also
#: its jailed kernels (the jail moves them into groups of the memory and pids hierarchies only).
CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def timed(command: list[str], cwd: Path, name: str = "") -> float:
    """Wall seconds of ``command``; its CPU seconds go into ``CPU[name]``: from a cpuacct group of its
    own where cgroup v1 offers one, else those of the processes it waited for (which may miss a
    kernel's)."""
    group = Path(tempfile.mkdtemp(prefix="bench-", dir=CPUACCT)) if (CPUACCT / "cpuacct.usage").exists() else None
    wrapped = ["/bin/sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "bench", *command] if group else command
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        subprocess.run(wrapped, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        waited = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        CPU[name] = int((group / "cpuacct.usage").read_text()) / 1e9 if group else waited
    finally:
        for _ in range(100):  # its last processes (kernels shut down by a signal) may take a moment
            try:
                group.rmdir() if group else None
                break
            except OSError:
                time.sleep(0.1)
    return wall


def sequential_autograde(course: Path, notebooks: dict[str, nbformat.NotebookNode], name: str) -> float:
    """``nbgrader generate_assignment`` (not timed), then the timed ``nbgrader autograde sheet12`` of
    ``notebooks`` in the course folder ``course`` with its own configuration; every one must be graded."""
    command = [sys.executable, "-m", "nbgrader", "generate_assignment", "sheet12", "--force"]
    subprocess.run(command, cwd=course, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for student, notebook in notebooks.items():
        target = course / "submitted" / student / "sheet12" / "sheet12.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, target)
    seconds = timed([sys.executable, "-m", "nbgrader", "autograde", "sheet12"], course, name)
    graded = sum((course / "autograded" / student / "sheet12" / "sheet12.ipynb").is_file() for student in notebooks)
    assert graded == len(notebooks), f"{name}: nbgrader autograded {graded} of {len(notebooks)} notebooks"
    return seconds


def plain_nbgrader(notebooks: dict[str, nbformat.NotebookNode], scratch: Path) -> float:
    (scratch / "nbgrader").mkdir()
    course = copy_course_repository(scratch / "nbgrader")  # as the tests copy it: no state, no .venv
    return sequential_autograde(course, notebooks, "nbgrader")


#: What an instructor runs instead: nbgrader's own configuration (its execute step in an ordinary
#: kernel, no jail; the test cells, here the public self-checks, run in the student's kernel).
STOCK_CONFIG = 'c = get_config()\nc.CourseDirectory.course_id = "neural-networks"\n'


def stock_nbgrader(notebooks: dict[str, nbformat.NotebookNode], scratch: Path) -> float:
    """Sequential ``nbgrader autograde sheet12`` with nbgrader's defaults, in a course folder that
    has the release's support files in source/ (so that nbgrader copies them to every student)."""
    course = scratch / "stock"
    (course / "source").mkdir(parents=True)
    shutil.copytree(ROOT / "source" / "sheet12", course / "source" / "sheet12")
    for support in (ROOT / "release" / "sheet12").glob("selfcheck_*.py"):
        shutil.copy(support, course / "source" / "sheet12")
    (course / "nbgrader_config.py").write_text(STOCK_CONFIG)
    return sequential_autograde(course, notebooks, "stock")


def project_command(notebooks: dict[str, nbformat.NotebookNode], scratch: Path) -> float:
    folder = scratch / "downloads"
    folder.mkdir()
    for student, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--assignment", "sheet12"]
    command += ["--workdir", str(scratch / "project-course")]
    seconds = timed(command, ROOT, "project")
    STAGES.update(json.loads((scratch / "project-course" / "cpu_seconds.json").read_text()))
    return seconds


#: The project command's CPU seconds by stage, from the run's ``cpu_seconds.json``.
STAGES: dict = {}


def on_dask(notebooks: dict[str, nbformat.NotebookNode], scratch: Path, workers: int) -> float:
    """The project's command on a local Dask cluster of ``workers`` one-thread workers (their start
    not counted)."""
    folder = scratch / f"dask-{workers}"
    folder.mkdir()
    for student, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    with processes_here(workers, scratch) as (address, _):
        command = [sys.executable, "-m", "autograder", "grade", str(folder), "--assignment", "sheet12",
                   "--workdir", str(scratch / f"dask-{workers}-course"), "--scheduler", address]  # fmt: skip
        return timed(command, ROOT)


def classmates_next_to(first: nbformat.NotebookNode, scratch: Path) -> list[float]:
    """The grading wall times of five correct classmates graded by the project's command (three
    workers) with ``first``, from their grading records."""
    correct = SHEET12.submission(SHEET12.samples()["correct"])
    notebooks = {"a-first": first, **{f"classmate{index}": correct for index in range(5)}}  # graded first
    scratch.mkdir()
    project_command(notebooks, scratch)
    folder = scratch / "project-course" / RECORDS_DIRNAME
    return sorted(load_record(folder, "sheet12", f"classmate{index}").seconds for index in range(5))


def floor(notebooks: dict[str, nbformat.NotebookNode], scratch: Path) -> float:
    folder = scratch / "floor"
    folder.mkdir()
    shutil.copy(ROOT / "release" / "sheet12" / "selfcheck.py", folder)
    start = time.perf_counter()
    for notebook in notebooks.values():
        copy = nbformat.from_dict(notebook)
        NotebookClient(copy, timeout=60, kernel_name="python3", allow_errors=True,
                       extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no "running over TCP" warnings
                       resources={"metadata": {"path": str(folder)}}).execute()  # fmt: skip
    return time.perf_counter() - start


def gradescope_latency(scratch: Path, runs: int = 3) -> list[float]:
    """Wall seconds of the bundle's ``run_autograder`` on one correct submission, ``runs`` times, each
    in a fresh copy of Gradescope's /autograder (the bundle unzipped and prepared as ``setup.sh``
    does, the submission, its metadata)."""
    bundle = build_bundle(scratch / "autograder.zip", "sheet12")
    notebook = SHEET12.submission(SHEET12.samples()["correct"])
    seconds = []
    for run in range(runs):
        root = scratch / f"gradescope-{run}"
        with zipfile.ZipFile(bundle) as opened:
            opened.extractall(root / "source")
        (root / "source" / "run_autograder").chmod(0o755)
        prepare = [sys.executable, "-m", "autograder", "gradescope", "prepare"]  # as setup.sh does, once
        subprocess.run(prepare, cwd=root / "source", check=True, capture_output=True)
        (root / "submission").mkdir()
        nbformat.write(notebook, root / "submission" / SHEET12.notebook_name)
        (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": 4242 + run}]}))
        environment = os.environ | {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
        start = time.perf_counter()
        subprocess.run([str(root / "source" / "run_autograder")], env=environment, check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
        tests = json.loads((root / "results" / "results.json").read_text())["tests"]
        score, full = sum(test["score"] for test in tests), sum(test["max_score"] for test in tests)
        assert score == full > 0, f"run_autograder gave the correct notebook {score} of {full} points"
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[25, 50, 100])
    parser.add_argument("--no-floor", action="store_true", help="skip the nbclient floor (for repeated runs)")
    parser.add_argument("--dask", action="store_true", help="also grade on a local Dask cluster of 1 and 2 workers")
    parser.add_argument("--gradescope", action="store_true", help="also time the Gradescope run_autograder")
    parser.add_argument("--hog", action="store_true", help="also grade a CPU hog next to correct classmates")
    parser.add_argument("--project-only", action="store_true", help="grade with the project's command alone")
    args = parser.parse_args()
    sizes = args.sizes
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    columns = ("N", "stock s", "nbgrader s", "project s", "floor s", "project/s", "vs stock", "vs nbgrader")
    print(" ".join(f"{title:>11}" for title in columns))
    for n in sizes:
        notebooks = synthetic_class(n)
        with tempfile.TemporaryDirectory(prefix="sheet12-bench-") as scratch:
            stock = float("nan") if args.project_only else stock_nbgrader(notebooks, Path(scratch))
            sequential = float("nan") if args.project_only else plain_nbgrader(notebooks, Path(scratch))
            ours = project_command(notebooks, Path(scratch))
            bare = float("nan") if args.no_floor or args.project_only else floor(notebooks, Path(scratch))
            dask = {workers: on_dask(notebooks, Path(scratch), workers) for workers in (1, 2)} if args.dask else {}
        row = (n, f"{stock:.1f}", f"{sequential:.1f}", f"{ours:.1f}", f"{bare:.1f}", f"{n / ours:.2f}")
        ratios = (f"{stock / ours:.2f}x", f"{sequential / ours:.2f}x")
        print(" ".join(f"{cell:>11}" for cell in (*row, *ratios)), flush=True)
        per_student = {stage: seconds / STAGES["students"] for stage, seconds in STAGES["cpu_seconds"].items()}
        stages = ", ".join(f"{stage} {seconds:.3f}" for stage, seconds in per_student.items())
        plain = "".join(f"{name} {CPU[name] / n:.2f} s, " for name in ("stock", "nbgrader") if name in CPU)
        print(f"  CPU per student: {plain}project {CPU['project'] / n:.2f} s", flush=True)
        print(f"  the project's by stage (s): {stages}", flush=True)
        peaks = STAGES["peak_resident_mib"]
        print(f"  peak resident memory: command {peaks['command']:.0f} MiB, grading process {peaks['worker']:.0f} MiB")
        for workers, seconds in dask.items():
            print(f"  Dask, {workers} worker(s): {seconds:.1f} s, {n / seconds:.2f} submissions/s,"
                  f" {n / seconds / workers:.2f} per worker", flush=True)  # fmt: skip
    if args.hog:
        attack = SHEET12.submission(SHEET12.samples("attacks")["cpu_hog"])
        for cell in attack.cells:  # twenty seconds of spinning instead of the tests' two
            cell.source = cell.source.replace("_start + 2", "_start + 20")
        with tempfile.TemporaryDirectory(prefix="sheet12-bench-") as scratch:
            quiet = classmates_next_to(SHEET12.submission(SHEET12.samples()["correct"]), Path(scratch) / "quiet")
            hogged = classmates_next_to(attack, Path(scratch) / "hog")
        for label, seconds in (("next to a correct one", quiet), ("next to cpu_hog", hogged)):
            print(f"Five correct classmates graded {label}: {', '.join(f'{value:.2f}' for value in seconds)} s each")
    if args.gradescope:
        with tempfile.TemporaryDirectory(prefix="sheet12-bench-") as scratch:
            seconds = sorted(gradescope_latency(Path(scratch)))
        print(f"Gradescope run_autograder, one submission: median {seconds[len(seconds) // 2]:.2f} s"
              f" (from {seconds[0]:.2f} to {seconds[-1]:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()

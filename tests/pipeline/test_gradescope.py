"""The Gradescope autograder: its zip, and ``run_autograder`` run as Gradescope runs it.

Each test builds a container-like folder (``source/`` = the unzipped bundle, prepared as the
bundle's ``setup.sh`` prepares it, ``submission/``, ``submission_metadata.json``) and runs the
bundle's own ``run_autograder`` script with the real nbgrader and a real jailed kernel, then
validates ``results/results.json``. One test per assignment runs it in a bundle that was not
prepared.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from autograder import assignments
from autograder.commands.grade import GradingRun
from autograder.gradescope.bundle import build_bundle
from autograder.grading.samples import Edit, Sample
from tests import internals
from tests.conftest import SAMPLES, SHEET12, full_marks

REFERENCE = "autograder/assignments/sheet12/reference.py"
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
NOTEBOOK = SHEET12.notebook_name
MISTAKEN = SAMPLES["sum_instead_of_mean"]
TITLES = [part.title for part in SHEET12.parts]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bundle(tmp_path_factory.mktemp("bundle") / "autograder.zip", "sheet12")


def unpack(bundle: Path, target: Path, prepare: bool = True) -> Path:
    """The bundle unzipped into ``target`` and, with ``prepare``, prepared as its setup.sh does."""
    with zipfile.ZipFile(bundle) as opened:
        opened.extractall(target)
    (target / "run_autograder").chmod(0o755)
    if prepare:
        done = subprocess.run(
            [sys.executable, "-m", "autograder", "gradescope", "prepare"], cwd=target, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert (target / "prepared-course" / "sheet12" / "release" / "sheet12" / NOTEBOOK).is_file()
    return target


@pytest.fixture(scope="module")
def prepared(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sheet12 bundle, unzipped and prepared once, for the containers to copy."""
    return unpack(bundle, tmp_path_factory.mktemp("prepared") / "source")


def container(root: Path, source: Path, files: dict[str, bytes], user_id: int = 4242) -> Path:
    """Gradescope's /autograder: the unzipped bundle (``source``), the student's files and their metadata."""
    shutil.copytree(source, root / "source", symlinks=True)
    for name, content in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_bytes(content)
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": user_id, "name": "A Student"}]}))
    return root


def run_autograder(root: Path, *args: str, python: str = sys.executable, env: dict | None = None) -> dict:
    """Run the bundle's run_autograder on ``root``; the results.json it left."""
    environment = os.environ | {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": python} | (env or {})
    scratch_before = set(Path(tempfile.gettempdir()).glob("*-grading-*"))
    done = subprocess.run(
        [str(root / "source" / "run_autograder"), *args], env=environment, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert set(Path(tempfile.gettempdir()).glob("*-grading-*")) <= scratch_before  # its scratch course is gone
    return json.loads((root / "results" / "results.json").read_text())


def notebook_bytes(notebook: nbformat.NotebookNode) -> bytes:
    return nbformat.writes(notebook).encode()


def part_scores(results: dict) -> dict[str, float]:
    return {test["name"]: test["score"] for test in results["tests"] if test["visibility"] != "hidden"}


def assert_valid_results(results: dict) -> None:
    """Gradescope's results.json format, with one visible test per part worth that part's points."""
    assert isinstance(results["output"], str) and results["visibility"] in VISIBILITIES
    for test in results["tests"]:
        assert {"name", "score", "max_score", "output", "visibility"} <= set(test)
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert 0 <= test["score"] <= test["max_score"] and test["visibility"] in VISIBILITIES
        assert test.get("status", "passed") in {"passed", "failed"}
    visible = [test for test in results["tests"] if test["visibility"] == "visible"]
    assert [test["name"] for test in visible] == TITLES
    maxima = {SHEET12.title(part): points["auto"] for part, points in SHEET12.points_by_part().items()}
    assert {test["name"]: test["max_score"] for test in visible} == maxima


def test_the_bundle_has_gradescopes_scripts_and_the_course_but_nothing_else(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as opened:
        names = set(opened.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in opened.infolist()}
    assert {"setup.sh", "run_autograder", "nbgrader_config.py", "requirements.txt"} <= names
    assert {"source/sheet12/sheet12.ipynb", REFERENCE, "autograder/gradescope/run.py"} <= names
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert not [name for name in names if name.split("/")[0] in {"release", "solutions", "tests", "submitted"}]
    assert not [name for name in names if "__pycache__" in name or name.endswith(("gradebook.db", ".pyc"))]


@pytest.mark.parametrize("sample", [SAMPLES["correct"], MISTAKEN, SAMPLES["blank"]], ids=lambda s: s.student)
def test_run_autograder_grades_exactly_as_the_class_command(
    tmp_path: Path, prepared: Path, graded_class: GradingRun, sample: Sample
) -> None:
    root = container(tmp_path, prepared, {NOTEBOOK: notebook_bytes(SHEET12.submission(sample))})
    results = run_autograder(root)
    assert_valid_results(results)
    scores = graded_class.scores[sample.student]
    assert part_scores(results) == {SHEET12.title(part.id): scores.part(part.id) for part in SHEET12.parts}
    assert sum(part_scores(results).values()) == sum(full_marks(sample).values())
    for test in results["tests"][: len(SHEET12.parts)]:
        assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
    if sample.mistake:  # named in the output of the part the mistake is in
        (changed,) = {SHEET12.title(SHEET12.part_of(edit.target.removesuffix("_solution"))) for edit in sample.edits}
        outputs = {test["name"]: test["output"] for test in results["tests"]}
        assert f"[{sample.mistake}]" in outputs[changed]
    review = results["tests"][-1]
    assert review["visibility"] == "hidden" and "gradescope-4242" in review["output"]
    visible = [results["output"], *(test["output"] for test in results["tests"] if test["visibility"] != "hidden")]
    assert internals.found_in("\n".join(visible)) == []  # no file or line of the grader


def test_feedback_never_shows_hidden_tests_or_reference_code(tmp_path: Path, prepared: Path) -> None:
    root = container(tmp_path, prepared, {NOTEBOOK: notebook_bytes(SHEET12.submission(MISTAKEN))})
    text = json.dumps(run_autograder(root))
    for secret in ("BEGIN HIDDEN TESTS", 'grade("', "autograder.reference", "def backward"):
        assert secret not in text


def test_a_notebook_with_another_name_is_graded_with_a_note(tmp_path: Path, prepared: Path) -> None:
    root = container(tmp_path, prepared, {"sheet12 (1).ipynb": notebook_bytes(SHEET12.submission(SAMPLES["correct"]))})
    results = run_autograder(root)
    assert_valid_results(results)
    assert sum(part_scores(results).values()) == 20
    assert "sheet12 (1).ipynb was graded; please name the notebook sheet12.ipynb" in results["output"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"answers.py": b"print(1)"}, "Upload your notebook as sheet12.ipynb. This submission has: answers.py."),
        ({NOTEBOOK: b"{ not json"}, "sheet12.ipynb is not a readable Jupyter notebook"),
        ({}, "Upload your notebook as sheet12.ipynb. This submission has: no files."),
    ],
    ids=["no notebook", "broken notebook", "nothing"],
)
def test_bad_uploads_get_zero_and_say_what_to_upload(tmp_path: Path, prepared: Path, files: dict, message: str) -> None:
    results = run_autograder(container(tmp_path, prepared, files))
    assert_valid_results(results)
    assert sum(part_scores(results).values()) == 0
    assert message in results["output"]


def test_an_upload_that_links_to_the_instructors_notebook_is_refused_unread(tmp_path: Path, prepared: Path) -> None:
    root = container(tmp_path, prepared, {})
    (root / "submission").mkdir()
    (root / "submission" / NOTEBOOK).symlink_to(root / "source" / "source" / "sheet12" / NOTEBOOK)
    results = run_autograder(root)
    assert_valid_results(results)
    assert sum(part_scores(results).values()) == 0
    assert "sheet12.ipynb is a link or a special file, not a notebook file. Upload it again." in results["output"]
    assert "BEGIN" not in json.dumps(results)


def test_results_are_written_even_when_the_grader_cannot_start(tmp_path: Path, prepared: Path) -> None:
    root = container(tmp_path, prepared, {NOTEBOOK: notebook_bytes(SHEET12.submission(SAMPLES["correct"]))})
    results = run_autograder(root, python="/bin/false")
    assert results["score"] == 0 and "could not run" in results["output"]


# --- without namespaces: the kernel runs as nobody and the container folder is locked ---------------


def nobody_can_run(python: str, env: dict) -> bool:
    probe = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "-i",
             *(f"{key}={value}" for key, value in env.items()), python, "-c", "import ipykernel, numpy"]  # fmt: skip
    return subprocess.run(probe, capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def python_for_nobody() -> Iterator[tuple[str, dict]]:
    """A Python the nobody user can run, as Gradescope's /opt/autograder: this one, or (when it sits in
    a private folder such as /root, as a fresh install's ``.venv/`` does) a copy of its installation or
    virtual environment in a public temporary folder (hard links where the file system allows)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("the kernel can only be started as nobody by root with setpriv")
    if nobody_can_run(sys.executable, {}):
        yield sys.executable, {}
        return
    public = Path(tempfile.mkdtemp(prefix="sheet12-python-"))
    public.chmod(0o755)
    try:
        virtual = sys.prefix != sys.base_prefix  # a venv's python links to the system's, which nobody can run
        copied = public / "prefix"
        if subprocess.run(["cp", "-al", sys.prefix, str(copied)], capture_output=True).returncode != 0:
            shutil.rmtree(copied, ignore_errors=True)
            subprocess.run(["cp", "-a", sys.prefix, str(copied)], check=True)
        python = str(copied / "bin" / Path(sys.executable).name)
        env = {} if virtual else {"LD_LIBRARY_PATH": str(copied / "lib")}
        assert nobody_can_run(python, env), f"nobody cannot run {python}"
        yield python, env
    finally:
        shutil.rmtree(public, ignore_errors=True)


@pytest.fixture
def public_folder() -> Iterator[Path]:
    """A folder anyone may enter (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="sheet12-gradescope-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_user_isolation_keeps_the_course_and_the_results_out_of_reach(
    public_folder: Path, prepared: Path, python_for_nobody: tuple[str, dict]
) -> None:
    root = public_folder / "autograder"
    root.mkdir(mode=0o755)
    leak = Path(tempfile.gettempdir()) / f"autograder-leak-{os.getpid()}"
    leak.unlink(missing_ok=True)
    code = f"""
import os, shutil, signal
root = {str(root)!r}
attempts = {{}}
for name, action in [
    ("read reference", lambda: shutil.copy(root + "/source/{REFERENCE}", {str(leak)!r})),
    ("write results", lambda: open(root + "/results/hacked.json", "w").write("{{}}")),
    ("read submission", lambda: open(root + "/submission/sheet12.ipynb").read()),
    ("signal grader", lambda: os.kill(os.getppid(), signal.SIGSTOP)),
]:
    try:
        action()
        attempts[name] = "done"
    except OSError as error:
        attempts[name] = type(error).__name__
print(attempts)
def backward(X, Y, params, cache):
    return {{"d" + key: value * 0 for key, value in params.items()}}
"""
    attack = Sample("gradescope_attack", "reaches for the course", (Edit("set", "t12_2d_backward_solution", code),))
    container(root, prepared, {NOTEBOOK: notebook_bytes(SHEET12.submission(attack))})
    python, env = python_for_nobody
    results = run_autograder(root, "--isolation", "user", python=python, env=env)
    assert_valid_results(results)
    assert part_scores(results) == {
        SHEET12.title(part): points["auto"] - (4 if part == "t12_2d" else 1 if part == "t12_2f" else 0)
        for part, points in SHEET12.points_by_part().items()
    }
    assert not leak.exists() and not (root / "results" / "hacked.json").exists()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


@pytest.mark.parametrize("assignment_id", assignments.available())
def test_each_assignment_has_a_bundle_with_only_its_own_hidden_side(tmp_path: Path, assignment_id: str) -> None:
    assignment = assignments.load(assignment_id)
    own_bundle = build_bundle(tmp_path / "autograder.zip", assignment_id)
    with zipfile.ZipFile(own_bundle) as opened:
        names = opened.namelist()
    others = set(assignments.available()) - {assignment_id}
    assert f"autograder/assignments/{assignment_id}/__init__.py" in names
    assert f"source/{assignment_id}/{assignment.notebook_name}" in names
    assert not [name for name in names for other in others if f"/{other}/" in f"/{name}"]
    correct = assignment.samples()["correct"]
    unprepared = unpack(own_bundle, tmp_path / "source", prepare=False)  # run_autograder generates it then
    files = {assignment.notebook_name: notebook_bytes(assignment.submission(correct))}
    root = container(tmp_path / "root", unprepared, files)
    results = run_autograder(root)
    assert [test["name"] for test in results["tests"] if test["visibility"] == "visible"] == [
        part.title for part in assignment.parts
    ]
    assert sum(part_scores(results).values()) == sum(full_marks(correct, assignment).values())

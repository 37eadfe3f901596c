"""The build: release/ and solutions/ (with the self-check kit's copy and the public cases' expected
values) are generated, never stale, and source/ holds only what people write."""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder import assignments
from autograder.commands import build
from autograder.grading import notebooks, support_files
from autograder.grading.notebooks import COURSE_ROOT
from autograder.grading.public import KIT_MODULE, VALUES_MODULE


def _tree(root: Path) -> dict[str, object]:
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = str(path.relative_to(root))
        files[relative] = nbformat.read(path, as_version=4) if path.suffix == ".ipynb" else path.read_text()
    return files


def test_release_and_solutions_are_up_to_date_with_source(course_copy: Path) -> None:
    for generated in ("release", "solutions"):
        for path in (course_copy / generated).rglob("*"):
            if path.is_file():
                path.unlink()
    for assignment in assignments.available():
        build.build(assignment, course_copy)
    for generated in ("release", "solutions", "source"):
        assert _tree(course_copy / generated) == _tree(COURSE_ROOT / generated), (
            f"{generated}/ is stale: run `python -m autograder build` and commit the result"
        )


def test_generated_files_exist_in_release_and_solutions_only() -> None:
    for assignment in assignments.available():
        for generated in (f"{KIT_MODULE}.py", f"{VALUES_MODULE}.py"):
            assert not (COURSE_ROOT / "source" / assignment / generated).exists(), (assignment, generated)
        assert (COURSE_ROOT / "release" / assignment / f"{KIT_MODULE}.py").is_file()
        assert (COURSE_ROOT / "solutions" / assignment / f"{KIT_MODULE}.py").is_file()
    assert (COURSE_ROOT / "release" / "sheet12" / f"{VALUES_MODULE}.py").is_file()


def test_every_self_check_cell_lets_run_all_go_on() -> None:
    """A failing self-check raises (so ``nbgrader validate`` lists it) but is tagged
    ``raises-exception``, which JupyterLab's Run All and nbclient honour: the cells after it run."""
    for assignment in assignments.available():
        loaded = assignments.load(assignment)
        for cell in notebooks.read(loaded.release_notebook).cells:
            if notebooks.is_test_cell(cell):
                assert "raises-exception" in cell.metadata.get("tags", []), (assignment, notebooks.grade_id(cell))


def test_generated_files_replace_a_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    """The grader writes them next to a submitted notebook: a link of that name, planted by a
    submission, is replaced, and what it pointed to is left alone."""
    outside = tmp_path / "outside.txt"
    outside.write_text("the grader's own file")
    folder = tmp_path / "autograded"
    folder.mkdir()
    (folder / f"{KIT_MODULE}.py").symlink_to(outside)
    written = support_files.write("sheet12", folder)
    assert outside.read_text() == "the grader's own file"
    assert all(path.is_file() and not path.is_symlink() for path in written)
    assert (folder / f"{KIT_MODULE}.py").read_text() == support_files.generated("sheet12")[f"{KIT_MODULE}.py"]

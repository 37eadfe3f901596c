"""Unit tests of sample submissions as files (:mod:`autograder.grading.samples`): the file format (set, delete,
append and notebook-metadata edits, ``EXPECTED``, placeholders, ``blank``), building the submitted
notebook from a tiny release and source notebook, the catalogue, and the real sheet 12 catalogue."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder import assignments
from autograder.grading import notebooks, samples
from autograder.grading.samples import Edit, Sample

RELEASE_STUB = "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
SOURCE_SOLUTION = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"


def cell(
    kind: str, source: str, grade_id: str, *, solution: bool, grade: bool, points: float = 0
) -> nbformat.NotebookNode:
    new = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    made = new(source)
    made.metadata["nbgrader"] = {
        "grade_id": grade_id,
        "solution": solution,
        "grade": grade,
        "locked": not solution,
        "points": points,
    }
    return made


def sheet(double_source: str, why_source: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Tiny sheet"),
        cell("code", double_source, "double_solution", solution=True, grade=False),
        cell("code", "assert double(2) == 4", "double_test", solution=False, grade=True, points=2),
        cell("markdown", why_source, "why", solution=True, grade=True, points=1),
    ]
    return notebook


@pytest.fixture
def course(tmp_path: Path) -> tuple[Path, Path]:
    """The tiny sheet's source and release notebooks."""
    source, release = tmp_path / "source.ipynb", tmp_path / "release.ipynb"
    nbformat.write(sheet(SOURCE_SOLUTION, "Because **two** times x."), source)
    nbformat.write(sheet(RELEASE_STUB, "YOUR ANSWER HERE"), release)
    return source, release


CELL_TYPES = {"double_solution": "code", "double_test": "code", "why": "markdown"}


def load_text(tmp_path: Path, text: str, name: str = "alice") -> Sample:
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    return samples.load(path, CELL_TYPES)


def by_id(notebook: nbformat.NotebookNode) -> dict[str, str]:
    return {notebooks.grade_id(c): c.source for c in notebook.cells if notebooks.grade_id(c)}


# --- the file format -------------------------------------------------------------------------------


def test_a_file_without_markers_is_the_instructor_answers(tmp_path: Path, course: tuple[Path, Path]) -> None:
    sample = load_text(tmp_path, '"""Full marks."""\n\nEXPECTED = {}\n')
    assert sample == Sample(student="alice", description="Full marks.")
    built = by_id(sample.notebook(*course))
    assert built == {
        "double_solution": "def double(x):\n    return 2 * x",  # solution markers stripped
        "double_test": "assert double(2) == 4",
        "why": "Because **two** times x.",
    }


def test_blank_keeps_the_release_notebook_untouched(tmp_path: Path, course: tuple[Path, Path]) -> None:
    sample = load_text(tmp_path, '"""Nothing filled in."""\n\nEXPECTED = {"blank": True}\n')
    assert sample.blank is True
    built = sample.notebook(*course)
    assert by_id(built) == {
        "double_solution": RELEASE_STUB,
        "double_test": "assert double(2) == 4",
        "why": "YOUR ANSWER HERE",
    }
    assert built == notebooks.read(course[1])


def test_a_set_edit_replaces_a_code_cell_without_the_surrounding_blank_lines(
    tmp_path: Path, course: tuple[Path, Path]
) -> None:
    text = '"""Adds instead of doubling."""\n\n\n# %% double_solution\n\n\ndef double(x):\n    return x + x + 1\n\n\n'
    sample = load_text(tmp_path, text)
    assert sample.edits == (Edit("set", "double_solution", "def double(x):\n    return x + x + 1"),)
    built = by_id(sample.notebook(*course))
    assert built["double_solution"] == "def double(x):\n    return x + x + 1"
    assert built["why"] == "Because **two** times x."  # the other answers are the instructor's


def test_a_set_edit_of_a_markdown_cell_is_uncommented(tmp_path: Path, course: tuple[Path, Path]) -> None:
    text = '"""A written answer."""\n\n# %% why\n# Because of *doubling*.\n#\n#   indented\n#no space\nplain\n'
    sample = load_text(tmp_path, text)
    expected = "Because of *doubling*.\n\n  indented\nno space\nplain"
    assert sample.edits == (Edit("set", "why", expected),)
    assert by_id(sample.notebook(*course))["why"] == expected


def test_a_set_edit_of_a_test_cell_changes_it(tmp_path: Path, course: tuple[Path, Path]) -> None:
    sample = load_text(tmp_path, '"""Edits the test."""\n\n# %% double_test\npass\n')
    assert by_id(sample.notebook(*course))["double_test"] == "pass"


def test_delete_removes_the_cell(tmp_path: Path, course: tuple[Path, Path]) -> None:
    sample = load_text(tmp_path, '"""Deletes the test."""\n\n# %% delete double_test\n')
    assert sample.edits == (Edit("delete", "double_test"),)
    built = sample.notebook(*course)
    assert [notebooks.grade_id(c) for c in built.cells] == [None, "double_solution", "why"]


def test_append_code_with_json_metadata(tmp_path: Path, course: tuple[Path, Path]) -> None:
    text = (
        '"""Adds a graded cell."""\n\n'
        '# %% append code {"nbgrader": {"grade": true, "grade_id": "extra", "points": 50, "solution": false}}\n'
        "# a comment stays a comment\n"
        "print('free points')\n"
    )
    sample = load_text(tmp_path, text)
    meta = {"nbgrader": {"grade": True, "grade_id": "extra", "points": 50, "solution": False}}
    assert sample.edits == (Edit("append", "code", "# a comment stays a comment\nprint('free points')", meta),)
    built = sample.notebook(*course)
    assert len(built.cells) == 5
    last = built.cells[-1]
    assert last.cell_type == "code"
    assert last.source == "# a comment stays a comment\nprint('free points')"
    assert last.metadata == meta


def test_append_markdown_and_raw_are_uncommented_and_have_no_metadata(
    tmp_path: Path, course: tuple[Path, Path]
) -> None:
    text = '"""Adds notes."""\n\n# %% append markdown\n# **Note** to the grader\n\n# %% append raw\n# <b>raw</b>\n'
    built = load_text(tmp_path, text).notebook(*course)
    markdown, raw = built.cells[-2:]
    assert (markdown.cell_type, markdown.source, dict(markdown.metadata)) == ("markdown", "**Note** to the grader", {})
    assert (raw.cell_type, raw.source, dict(raw.metadata)) == ("raw", "<b>raw</b>", {})


def test_notebook_metadata_is_set(tmp_path: Path, course: tuple[Path, Path]) -> None:
    text = '"""Another kernel."""\n\n# %% notebook-metadata {"kernelspec": {"name": "evil", "display_name": "E"}}\n'
    sample = load_text(tmp_path, text)
    assert sample.edits == (Edit("metadata", "", "", {"kernelspec": {"name": "evil", "display_name": "E"}}),)
    built = sample.notebook(*course)
    assert built.metadata["kernelspec"] == {"name": "evil", "display_name": "E"}
    assert len(built.cells) == 4


def test_placeholders_are_replaced_in_every_edit(tmp_path: Path, course: tuple[Path, Path]) -> None:
    text = (
        '"""Reads files of the course."""\n\n'
        "# %% double_solution\nopen('__WORKDIR__/gradebook.db')\nopen('__COURSE_ROOT__/source')\n\n"
        "# %% append markdown\n# see __WORKDIR__\n"
    )
    sample = load_text(tmp_path, text)
    built = sample.notebook(*course, workdir="/scratch/run", course_root="/repo")
    assert by_id(built)["double_solution"] == "open('/scratch/run/gradebook.db')\nopen('/repo/source')"
    assert built.cells[-1].source == "see /scratch/run"
    # without a workdir or course root, the placeholders become empty
    assert by_id(sample.notebook(*course))["double_solution"] == "open('/gradebook.db')\nopen('/source')"


def test_several_edits_are_applied_in_file_order(tmp_path: Path, course: tuple[Path, Path]) -> None:
    text = '"""Two edits."""\n\n# %% double_solution\ndouble = abs\n\n# %% why\n# short\n\n# %% delete double_test\n'
    sample = load_text(tmp_path, text)
    assert [edit.action for edit in sample.edits] == ["set", "set", "delete"]
    assert by_id(sample.notebook(*course)) == {"double_solution": "double = abs", "why": "short"}


def test_building_a_notebook_does_not_change_the_release_file(tmp_path: Path, course: tuple[Path, Path]) -> None:
    before = course[1].read_text()
    load_text(tmp_path, '"""x"""\n\n# %% delete double_test\n').notebook(*course)
    assert course[1].read_text() == before


# --- EXPECTED --------------------------------------------------------------------------------------


def test_expected_is_parsed_and_scores_become_floats(tmp_path: Path) -> None:
    text = (
        '"""  A docstring with spaces.  """\n\n'
        "EXPECTED = {\n"
        '    "scores": {"double_test": 1, "other": 0},\n'
        '    "mistake": "off_by_one",\n'
        '    "flagged": True,\n'
        '    "fault": "timeout",\n'
        "}\n"
    )
    sample = load_text(tmp_path, text, name="bob")
    assert sample.student == "bob"
    assert sample.description == "A docstring with spaces."
    assert sample.scores == {"double_test": 1.0, "other": 0.0}
    assert all(type(score) is float for score in sample.scores.values())
    assert (sample.mistake, sample.blank, sample.flagged, sample.fault) == ("off_by_one", False, True, "timeout")


def test_a_file_without_expected_has_the_defaults(tmp_path: Path) -> None:
    sample = load_text(tmp_path, "# %% double_solution\ndouble = None\n")
    assert sample == Sample("alice", "", (Edit("set", "double_solution", "double = None"),))


def test_an_assignment_below_a_cell_marker_is_not_expected(tmp_path: Path) -> None:
    sample = load_text(tmp_path, '"""x"""\n\n# %% double_solution\nEXPECTED = {"blank": True}\n')
    assert sample.blank is False
    assert sample.edits[0].source == 'EXPECTED = {"blank": True}'


def test_unknown_expected_keys_raise_value_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "typo.py"
    path.write_text('"""x"""\n\nEXPECTED = {"score": {"a": 1}, "flaged": True, "blank": True}\n')
    with pytest.raises(ValueError) as raised:
        samples.load(path, CELL_TYPES)
    assert str(raised.value) == f"{path}: unknown EXPECTED keys ['flaged', 'score']"


def test_a_marker_without_a_grade_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^a cell marker without a grade id$"):
        load_text(tmp_path, '"""x"""\n\n# %%\nx = 1\n')


def test_a_set_edit_for_an_unknown_grade_id_raises_key_error(tmp_path: Path, course: tuple[Path, Path]) -> None:
    sample = load_text(tmp_path, '"""x"""\n\n# %% no_such_cell\nx = 1\n')
    assert sample.edits == (Edit("set", "no_such_cell", "x = 1"),)  # unknown ids are read as code cells
    with pytest.raises(KeyError, match="the release notebook has no cell 'no_such_cell'"):
        sample.notebook(*course)


def test_deleting_an_unknown_grade_id_raises_key_error(tmp_path: Path, course: tuple[Path, Path]) -> None:
    with pytest.raises(KeyError, match="the release notebook has no cell 'ghost'"):
        load_text(tmp_path, '"""x"""\n\n# %% delete ghost\n').notebook(*course)


# --- the catalogue ---------------------------------------------------------------------------------


def test_catalogue_reads_the_folder_but_not_its_subfolders(tmp_path: Path, course: tuple[Path, Path]) -> None:
    folder = tmp_path / "samples"
    (folder / "attacks").mkdir(parents=True)
    (folder / "zed.py").write_text('"""Last."""\n\nEXPECTED = {"blank": True}\n')
    (folder / "amy.py").write_text('"""First."""\n\n# %% why\n# mine\n')
    (folder / "__init__.py").write_text("")
    (folder / "notes.txt").write_text("not a sample")
    (folder / "attacks" / "evil.py").write_text('"""Elsewhere."""\n')
    catalogue = samples.catalogue(folder, course[1])
    assert list(catalogue) == ["amy", "zed"]
    assert catalogue["amy"] == Sample("amy", "First.", (Edit("set", "why", "mine"),))  # "why" is markdown there
    assert catalogue["zed"] == Sample("zed", "Last.", blank=True)


def test_the_sheet12_catalogue_has_its_samples_and_attacks() -> None:
    sheet12 = assignments.load("sheet12")
    catalogue = sheet12.samples()
    assert {"correct", "blank", "loop_style"} <= set(catalogue)
    assert catalogue["blank"].blank is True
    assert catalogue["correct"].edits == ()
    assert all(student == sample.student for student, sample in catalogue.items())
    attacks = sheet12.samples("attacks")
    assert {"edited_cells", "browser_attack"} <= set(attacks)
    assert not set(attacks) & set(catalogue)
    assert [edit.action for edit in attacks["edited_cells"].edits] == ["set", "set", "set", "delete", "append"]

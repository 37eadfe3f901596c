"""The commands as a user types them: ``python -m autograder ...`` and nbgrader's own CLI."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import assignments
from autograder.commands import grade
from autograder.commands.cli import main
from autograder.grading.notebooks import COURSE_ROOT
from autograder.grading.samples import Sample
from tests.conftest import ATTACKS, SAMPLES, SHEET12, nbgrader

CORRECT, BLANK, ONE_WRONG = SAMPLES["correct"], SAMPLES["blank"], SAMPLES["statement_2_wrong"]


def table_rows(output: str) -> dict[str, list[str]]:
    """student -> the columns of their row in the score table (parts, total, review)."""
    lines = output.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[start:] if line and not line.startswith("Autograded")]
    return {row[0]: row[1:] for row in rows if len(row) > 2}


def table_totals(output: str) -> dict[str, str]:
    """student -> total of the score table."""
    return {student: columns[8] for student, columns in table_rows(output).items()}


def test_main_job_grades_the_bundled_samples() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--assignment", "sheet12"],
        cwd=COURSE_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (gradebook,) = re.findall(r"^Gradebook of this run: (.*)$", done.stdout, re.MULTILINE)
    assert Path(gradebook).is_file()
    shutil.rmtree(Path(gradebook).parent)  # the command's output, kept for the user: not for a test
    assert table_totals(done.stdout) == {
        "blank": "0",
        "correct": "20",
        "sum_instead_of_mean": "17",
        "transposed_dW1": "15",
    }
    assert "Feedback per student:" in done.stdout


def test_the_grade_command_shows_its_progress_takes_jobs_and_lists_faults_and_flags(tmp_path: Path) -> None:
    """The command as typed: a progress bar per phase on stderr, ``--jobs 1`` (one worker, so one
    shard writes all the feedback), and the report's review column and lines for a fault and a flag."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    students = {"ada": CORRECT, "os_exit": ATTACKS["os_exit"], "patch_numpy": ATTACKS["patch_numpy"]}
    for student, sample in students.items():
        nbformat.write(SHEET12.submission(sample), folder / f"{student}.ipynb")
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--assignment", "sheet12",
               "--workdir", str(tmp_path / "work"), "--jobs", "1"]  # fmt: skip
    done = subprocess.run(command, cwd=COURSE_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert re.search(r"grading: 100%.*\| 3/3 ", done.stderr), done.stderr
    assert re.search(r"feedback: 100%.*\| 1/1 ", done.stderr), done.stderr  # one worker, one shard
    rows = table_rows(done.stdout)
    assert (rows["ada"][-1], rows["patch_numpy"][-1]) == ("-", "FLAGGED")
    assert re.fullmatch(r"\d+ fault\(s\)", rows["os_exit"][-1]), rows["os_exit"]
    assert re.search(r"^  os_exit: fault crash", done.stdout, re.MULTILINE), done.stdout
    assert re.search(r"^  patch_numpy: FLAGGED ", done.stdout, re.MULTILINE), done.stdout
    with Gradebook(f"sqlite:///{tmp_path / 'work' / 'gradebook.db'}") as gradebook:  # the formgrader's mark
        flagged = {
            student: gradebook.find_submission_notebook("sheet12", "sheet12", student).flagged for student in students
        }
    assert flagged == {"ada": False, "os_exit": False, "patch_numpy": True}
    costs = json.loads((tmp_path / "work" / "cpu_seconds.json").read_text())  # what the benchmark reads
    assert costs["students"] == 3
    stages = ("kernel start", "cells", "checks", "nbgrader steps", "gradebook", "feedback", "report")
    assert sorted(costs["cpu_seconds"]) == sorted(stages) and min(costs["cpu_seconds"].values()) > 0, costs


def test_bad_input_gets_a_clear_message_and_the_rest_is_graded(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    nbformat.write(SHEET12.submission(CORRECT), folder / "ada.ipynb")
    (folder / "bob.ipynb").write_text("{ this is not a notebook")
    (folder / "notes.txt").write_text("hello")
    (folder / "cyd").mkdir()
    (folder / "ada" / "sheet12").mkdir(parents=True)
    nbformat.write(SHEET12.submission(BLANK), folder / "ada" / "sheet12" / "sheet12.ipynb")
    status = main(["grade", "--assignment", "sheet12", str(folder), "--workdir", str(tmp_path / "work")])
    out = capsys.readouterr().out
    assert status == 1
    assert table_totals(out) == {"ada": "0"}  # ada/sheet12/sheet12.ipynb (blank): named like the notebook
    assert f"{folder / 'ada.ipynb'}: another upload of student 'ada'; sheet12.ipynb is graded" in out
    assert f"{folder / 'bob.ipynb'}: not a readable Jupyter notebook" in out
    assert f"{folder / 'notes.txt'}: not a notebook (.ipynb)" in out
    assert f"{folder / 'cyd'}: no sheet12/sheet12.ipynb inside" in out


def test_an_nbgrader_submitted_tree_is_understood(tmp_path: Path, capsys) -> None:
    target = tmp_path / "submitted" / "dee" / "sheet12" / "sheet12.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(SHEET12.submission(BLANK), target)
    assert (
        main(["grade", "--assignment", "sheet12", str(tmp_path / "submitted"), "--workdir", str(tmp_path / "work")])
        == 0
    )
    assert table_totals(capsys.readouterr().out) == {"dee": "0"}


def test_lms_downloads_are_graded_by_the_lms_ids_with_the_names_kept(tmp_path: Path, capsys) -> None:
    """A Moodle zip (folder per student) and a Canvas folder with a resubmission, as downloaded."""
    moodle = tmp_path / "BAML-Sheet 12-42.zip"
    with zipfile.ZipFile(moodle, "w") as zipped:
        for folder, sample in [
            ("Jane Doe_1234567_assignsubmission_file", CORRECT),
            ("Tom Ek_2222_assignsubmission_file", BLANK),
        ]:
            zipped.writestr(f"{folder}/sheet12.ipynb", nbformat.writes(SHEET12.submission(sample)))
    assert main(["grade", "--assignment", "sheet12", str(moodle), "--workdir", str(tmp_path / "moodle")]) == 0
    assert table_totals(capsys.readouterr().out) == {"moodle-1234567": "20", "moodle-2222": "0"}
    with Gradebook(f"sqlite:///{tmp_path / 'moodle' / 'gradebook.db'}") as gradebook:
        assert gradebook.find_student("moodle-1234567").last_name == "Jane Doe"
        for student in ("moodle-1234567", "moodle-2222"):  # the written answers, graded as the formgrader does
            for grade_id in SHEET12.manual:
                grade = gradebook.find_grade(grade_id, "sheet12", "sheet12", student)
                grade.manual_score, grade.needs_manual_grade = 1.0, False
        gradebook.db.commit()
    worksheet = tmp_path / "Grades-NN-Sheet 12-42.csv"  # as Moodle's "Download grading worksheet" writes it
    worksheet.write_text(
        '\ufeffIdentifier,"Full name","Email address",Status,Grade,"Maximum grade","Grade can be changed",'
        '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
        '"Participant 1234567","Jane Doe",jane@example.edu,"Submitted for grading",,24.00,Yes,'
        '"Monday, 30 November 2026, 9:12 AM",-,\n'
        '"Participant 2222","Tom Ek",tom@example.edu,"Submitted for grading",,24.00,Yes,'
        '"Monday, 30 November 2026, 9:13 AM",-,"Seen in the lab."\n',
        encoding="utf-8",
    )
    export = ["export", "moodle", str(worksheet), "--assignment", "sheet12", "--workdir", str(tmp_path / "moodle")]
    assert main(export) == 0
    assert "with the grades of 2 student(s) filled in" in capsys.readouterr().out
    with open(tmp_path / "moodle" / "moodle_grades.csv", encoding="utf-8-sig") as filled:
        rows = [(row["Identifier"], row["Grade"], row["Feedback comments"]) for row in csv.DictReader(filled)]
    assert rows == [
        ("Participant 1234567", "22.00", "Autograded: 20 / 20; by hand: 2 / 4."),
        ("Participant 2222", "2.00", "Seen in the lab. Autograded: 0 / 20; by hand: 2 / 4."),
    ]

    canvas = tmp_path / "submissions"
    canvas.mkdir()
    nbformat.write(SHEET12.submission(CORRECT), canvas / "doejane_LATE_12345_67999_sheet12-1.ipynb")
    nbformat.write(SHEET12.submission(BLANK), canvas / "doejane_12345_67890_sheet12.ipynb")
    assert main(["grade", "--assignment", "sheet12", str(canvas), "--workdir", str(tmp_path / "canvas")]) == 0
    out = capsys.readouterr().out
    assert table_totals(out) == {"canvas-12345": "20"}  # the newer upload, late or not
    assert "Other uploads, not graded (each line says which upload of the student is graded, and why):" in out
    assert "Not graded" not in out
    assert f"{canvas / 'doejane_12345_67890_sheet12.ipynb'}: another upload of student 'canvas-12345'" in out
    gradebook_export = tmp_path / "Grades-NN.csv"  # as Canvas's Grades > Export writes it
    gradebook_export.write_text(
        "Student,ID,SIS Login ID,Section,Sheet 12 (4712),Current Score,Final Score\n"
        "    Points Possible,,,,24.00,(read only),(read only)\n"
        '"Doe, Jane",12345,jdoe,Section A,,,0.00\n',
        encoding="utf-8",
    )
    export = [
        "export",
        "canvas",
        str(gradebook_export),
        "--assignment",
        "sheet12",
        "--workdir",
        str(tmp_path / "canvas"),
    ]
    assert main(export) == 1
    assert "left out canvas-12345: a written answer is not graded yet" in capsys.readouterr().out
    feedback = (tmp_path / "canvas" / "feedback" / "canvas-12345" / "sheet12" / "sheet12.html").read_text()
    assert "Marked late by Canvas (the download gives no time)." in feedback  # the graded upload's LATE mark
    assert "<td>Canvas&#39;s mark</td>" in (tmp_path / "canvas" / "class_report.html").read_text()  # column "late"


def test_one_odd_upload_in_a_moodle_zip_costs_only_itself(tmp_path: Path, capsys) -> None:
    """Round three, items 2 and 5: a Moodle zip with an upload named 125 x "ü" + ".ipynb" (256
    bytes: it once stopped the run with an uncaught OSError and nobody graded), an encrypted entry,
    and an nbgrader-style folder named like a participant's id: the over-long name is graded under
    a shortened file name, the others are listed with what to do, and the rest of the class is
    graded; no traceback."""
    moodle = tmp_path / "BAML-Sheet 12-42.zip"
    with zipfile.ZipFile(moodle, "w") as zipped:
        zipped.writestr(
            "Jane Doe_1001_assignsubmission_file/" + "ü" * 125 + ".ipynb", nbformat.writes(SHEET12.submission(CORRECT))
        )
        zipped.writestr("Tom Ek_2222_assignsubmission_file/sheet12.ipynb", nbformat.writes(SHEET12.submission(BLANK)))
        zipped.writestr(
            "Ann Lee_3333_assignsubmission_file/sheet12.ipynb", nbformat.writes(SHEET12.submission(CORRECT))
        )
        zipped.writestr("moodle-1001/sheet12/sheet12.ipynb", nbformat.writes(SHEET12.submission(BLANK)))
    data = bytearray(moodle.read_bytes())  # Ann's entry marked encrypted, as a zip tool with a password writes it
    with zipfile.ZipFile(moodle) as opened:
        ann = opened.getinfo("Ann Lee_3333_assignsubmission_file/sheet12.ipynb")
    data[ann.header_offset + 6] |= 0x1
    central = data.index(b"Ann Lee_3333", data.index(b"PK\x01\x02")) - 46
    data[central + 8] |= 0x1
    moodle.write_bytes(bytes(data))
    assert main(["grade", "--assignment", "sheet12", str(moodle), "--workdir", str(tmp_path / "moodle")]) == 1
    out, err = capsys.readouterr()
    assert table_totals(out) == {"moodle-1001": "20", "moodle-2222": "0"}
    assert f"{moodle / 'Ann Lee_3333_assignsubmission_file/sheet12.ipynb'}: encrypted in the zip" in out + err
    assert f"{moodle / 'moodle-1001/sheet12/sheet12.ipynb'}: its name gives the student id 'moodle-1001'" in out + err
    assert "Traceback" not in out + err


def test_a_missing_folder_is_an_error_naming_it(tmp_path: Path, capsys) -> None:
    assert main(["grade", "--assignment", "sheet12", str(tmp_path / "nowhere")]) == 2
    assert f"{tmp_path / 'nowhere'}: no such folder" in capsys.readouterr().err


def test_a_folder_without_submissions_says_what_was_expected(tmp_path: Path, capsys) -> None:
    (tmp_path / "readme.md").write_text("no notebooks here")
    assert main(["grade", "--assignment", "sheet12", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}: no gradable submission; expected <student>.ipynb files" in err
    assert "readme.md: not a notebook (.ipynb)" in err


#: Mistakes that the sheet's degenerate instance (b = 0, W1 = I, lr = 1) hides: only the second
#: network of the self-checks shows them, and validate once said "Success!" for each.
HIDDEN_BY_THE_SHEET = ("forgot_bias", "weights_transposed", "ignores_lr", "numerical_backward")


@pytest.mark.parametrize(
    "sample",
    [CORRECT, BLANK, *(SAMPLES[name] for name in HIDDEN_BY_THE_SHEET)],
    ids=lambda sample: sample.student,
)
def test_nbgrader_validate(course_copy: Path, sample: Sample) -> None:
    """What a student's ``nbgrader validate`` says: success only for a notebook the grader scores full;
    a mistake that costs points fails its cell, with the mistake's name."""
    path = course_copy / "work" / "sheet12.ipynb"
    path.parent.mkdir()
    nbformat.write(SHEET12.submission(sample), path)
    for released in (course_copy / "release" / "sheet12").glob("*.py"):  # what students get next to the notebook
        (path.parent / released.name).write_bytes(released.read_bytes())
    done = nbgrader(course_copy, "validate", str(path))
    if sample.blank:
        assert "VALIDATION FAILED ON 12 CELL(S)!" in done.stdout  # 10 tests and 2 written answers
        assert "NotImplementedError" in done.stdout
        assert "You did not provide a response." in done.stdout
    elif sample.scores:
        lost = [grade_id for grade_id, score in sample.scores.items() if score < SHEET12.by_grade_id[grade_id].points]
        assert f"VALIDATION FAILED ON {len(lost)} CELL(S)!" in done.stdout, done.stdout
        assert f"[{sample.mistake}]" in done.stdout and "Success!" not in done.stdout
    else:
        assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout


def test_a_repeated_run_in_the_same_course_folder_grades_only_what_changed(tmp_path: Path) -> None:
    workdir = tmp_path / "course"
    submitted = {"ada": SHEET12.submission(CORRECT), "bob": SHEET12.submission(BLANK)}
    first = grade.grade_notebooks(SHEET12, submitted, workdir, jobs=2)
    assert (first.resumed, first.scores["bob"].total) == ([], 0.0)
    resubmitted = {"ada": SHEET12.submission(CORRECT), "bob": SHEET12.submission(ONE_WRONG)}
    second = grade.grade_notebooks(SHEET12, resubmitted, workdir, jobs=2)
    assert second.resumed == ["ada"]
    assert {student: result.total for student, result in second.scores.items()} == {"ada": 20.0, "bob": 19.0}


def test_a_zip_from_an_lms_is_understood(tmp_path: Path, capsys) -> None:
    archive = tmp_path / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("sheet12 submissions/ada.ipynb", nbformat.writes(SHEET12.submission(CORRECT)))
        zipped.writestr("sheet12 submissions/notes.txt", "hello")
    assert main(["grade", "--assignment", "sheet12", str(archive), "--workdir", str(tmp_path / "work")]) == 1
    out = capsys.readouterr().out
    assert table_totals(out) == {"ada": "20"}
    assert "notes.txt: not a notebook (.ipynb)" in out


def test_several_assignments_need_an_id(capsys) -> None:
    if len(assignments.available()) < 2:
        pytest.skip("the course has one assignment: the id may be left out")
    assert main(["grade"]) == 2
    assert "name one with --assignment" in capsys.readouterr().err

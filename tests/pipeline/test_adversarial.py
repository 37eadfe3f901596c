"""The adversarial suite: attacks on the grader, graded in one real batch with nbgrader.

For each attack: its exact scores, its tamper flag and fault, and nothing leaking out of
its jail. Around them, a correct and a mistaken submission must keep their usual grades,
and a non-notebook and a missing notebook must be reported, not graded.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
import time

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config import Config

from autograder import course
from autograder.assignments.sheet12.cases import network_cases
from autograder.assignments.sheet12.checks import numerical_grads
from autograder.commands import grade
from autograder.grading import records
from autograder.grading.assignment import rng_for
from autograder.grading.notebooks import COURSE_ROOT
from autograder.grading.selfcheck_kit import fmt
from autograder.reports.feedback.faults import UNKNOWN
from autograder.reports.feedback.summary import for_student
from tests import internals
from tests.conftest import ATTACKS, GRADED_ATTACKS, SAMPLES, SHEET12, full_marks

FULL = full_marks(SAMPLES["correct"])
BATCH_LIMIT_SECONDS = 900  # a hang fails the suite instead of stalling it
CONTROLS = ("correct", "sum_instead_of_mean")
#: The attacks the batch grades (see GRADED_ATTACKS); a test that reads one by name is marked
#: ``attacks(name)``, so that a run of a few attacks leaves it out instead of failing it.
GRADED = {name: ATTACKS[name] for name in GRADED_ATTACKS}
#: Shortened limits (30 s, 10 s and 120 s in the course's configuration). A cell may take 8 s:
#: children_memory fills 3 GB in the jail's one CPU's worth of time (2.7 s alone, past 5 s once in a
#: busy batch); the budget is six such cells, as it was with 5 s and 30 s.
CELL_TIMEOUT, CALL_TIMEOUT, TIME_BUDGET = 8, 3.0, 48.0
#: What a grading process may hold at its peak while it runs and checks one submission (it holds
#: about 150-250 MiB for a correct one); an attack that got a big message or string into the grader
#: would go far past it.
GRADER_PEAK_MIB = 768
#: Past the time budget, the cell or check under way still finishes (a cell timeout, a kernel
#: restart with its replay): the bound on a submission's wall time is the budget plus this.
BUDGET_OVERRUN_SECONDS = 60


@pytest.fixture(scope="module", params=["cold", "warm"])
def batch(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """Every attack, a correct and a mistaken control and two bad files, graded in one run, with the
    kernels started cold and, in another run, forked from a warm template."""
    folder, workdir = tmp_path_factory.mktemp("downloads"), tmp_path_factory.mktemp("course")
    for student, attack in GRADED.items():
        nbformat.write(SHEET12.submission(attack, str(workdir), str(COURSE_ROOT)), folder / f"{student}.ipynb")
    for student in CONTROLS:
        nbformat.write(SHEET12.submission(SAMPLES[student]), folder / f"{student}.ipynb")
    (folder / "not_a_notebook.ipynb").write_text("this is not JSON")
    (folder / "missing_notebook" / "sheet12").mkdir(parents=True)

    overrides = Config()
    overrides.Execute.timeout = CELL_TIMEOUT
    overrides.TrustedExecute.call_timeout = CALL_TIMEOUT
    overrides.TrustedExecute.time_budget = TIME_BUDGET
    overrides.JailedKernelManager.launch = request.param

    def too_long(*_):
        raise TimeoutError(f"the batch took more than {BATCH_LIMIT_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(BATCH_LIMIT_SECONDS)
    try:
        run = grade.grade_folder(SHEET12, folder, workdir, overrides)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    time.sleep(4)  # give any escaped child process time to do harm before we look
    return run


def attack_ids() -> list[str]:
    return list(GRADED)


@pytest.mark.parametrize("student", attack_ids())
def test_attack_gets_exactly_its_scores(batch, student: str) -> None:
    result = batch.scores[student]
    assert result.error is None
    assert result.by_cell == full_marks(ATTACKS[student])


@pytest.mark.parametrize("student", attack_ids())
def test_attack_is_flagged_exactly_when_it_tampers(batch, student: str) -> None:
    assert bool(batch.scores[student].flags) == ATTACKS[student].flagged, batch.scores[student].flags
    with Gradebook(f"sqlite:///{batch.workdir / 'gradebook.db'}") as gradebook:  # the formgrader's mark
        assert gradebook.find_submission_notebook("sheet12", "sheet12", student).flagged == ATTACKS[student].flagged


@pytest.mark.parametrize("student", [a for a in attack_ids() if a not in ("edited_cells",)])
def test_faults_are_recorded_with_their_reason(batch, student: str) -> None:
    faults = " ".join(batch.scores[student].faults)
    expected = ATTACKS[student].fault
    if expected is None:
        assert "crash" not in faults and "timeout" not in faults, faults
    else:
        assert expected in faults


@pytest.mark.parametrize("student", attack_ids())
def test_the_feedback_page_tells_each_fault_in_plain_words(batch, student: str) -> None:
    """Every fault is of a kind the feedback can say in plain words, and the page says it."""
    graded = nbformat.read(batch.workdir / "autograded" / student / "sheet12" / "sheet12.ipynb", 4)
    summary = for_student(batch.workdir / "gradebook.db", SHEET12, student, graded)
    told = [*summary.faults, *(fault for part in summary.parts for fault in part.faults)]
    assert len(told) >= bool(batch.scores[student].faults)
    assert not [fault for fault in told if UNKNOWN in fault]
    page = html.unescape((batch.workdir / "feedback" / student / "sheet12" / "sheet12.html").read_text())
    assert all(fault in page for fault in told)


@pytest.mark.parametrize("student", [*attack_ids(), *CONTROLS])
def test_grading_a_submission_keeps_the_graders_memory_and_time_bounded(batch, student: str) -> None:
    record = records.load(batch.workdir / records.RECORDS_DIRNAME, "sheet12", student)
    assert record.grader_peak_mib <= GRADER_PEAK_MIB
    assert record.seconds <= TIME_BUDGET + BUDGET_OVERRUN_SECONDS


@pytest.mark.attacks("fills_disk")
def test_each_folder_the_jail_can_write_holds_at_most_its_size(batch) -> None:
    """fills_disk wrote 1 MiB at a time until each was full: the configured 256 MiB (the working
    folder's last MiB is partly taken by the assignment's own folder entries)."""
    autograded = nbformat.read(batch.workdir / "autograded" / "fills_disk" / "sheet12" / "sheet12.ipynb", 4)
    printed = "".join(o.get("text", "") for cell in autograded.cells for o in cell.get("outputs", []))
    written = dict(re.findall(r"MiB written to (\S+): (\d+)", printed))
    assert written == {"/tmp/fill": "256", "/dev/shm/fill": "256", "fill": written.get("fill")}
    assert written["fill"] in ("255", "256")


@pytest.mark.attacks("many_lines")
def test_a_cell_that_prints_5000_lines_keeps_nbgraders_1000(batch) -> None:
    """nbgrader's LimitOutput step, after the grader's own byte limit: at most 1000 printed lines
    per cell are stored, the rest replaced by nbgrader's note."""
    autograded = nbformat.read(batch.workdir / "autograded" / "many_lines" / "sheet12" / "sheet12.ipynb", 4)
    (cell,) = [cell for cell in autograded.cells if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
               == "t12_1_1_statements_solution"]  # fmt: skip
    lines = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream").split("\n")
    assert len(lines) <= 1000 and lines[-1] == "... Output truncated ..."


@pytest.mark.attacks("many_big_outputs")
def test_a_cell_whose_output_passes_the_limit_keeps_only_its_first_mib(batch) -> None:
    autograded = nbformat.read(batch.workdir / "autograded" / "many_big_outputs" / "sheet12" / "sheet12.ipynb", 4)
    sizes = [len(json.dumps(cell.outputs)) for cell in autograded.cells if cell.cell_type == "code"]
    assert max(sizes) <= 1024**2 + 1024
    assert "[more output was not kept]" in json.dumps([cell.outputs for cell in autograded.cells if "outputs" in cell])


def test_controls_keep_their_grades(batch) -> None:
    for student in CONTROLS:
        result = batch.scores[student]
        assert result.by_cell == full_marks(SAMPLES[student])
        assert not result.flags and not result.faults


def test_bad_files_are_reported_not_graded(batch) -> None:
    run = batch
    reasons = {rejection.path.name: rejection.reason for rejection in run.rejected}
    assert reasons["not_a_notebook.ipynb"].startswith("not a readable Jupyter notebook")
    assert reasons["missing_notebook"].startswith("no sheet12/sheet12.ipynb inside")
    assert "not_a_notebook" not in run.scores and "missing_notebook" not in run.scores


@pytest.mark.attacks("reads_course_files")
def test_course_files_were_not_readable_from_the_kernel(batch) -> None:
    run = batch
    autograded = nbformat.read(run.workdir / "autograded" / "reads_course_files" / "sheet12" / "sheet12.ipynb", 4)
    printed = "".join(o.get("text", "") for cell in autograded.cells for o in cell.get("outputs", []))
    assert "course files found: []" in printed


def test_nothing_outside_the_jail_was_changed(batch) -> None:
    run = batch
    other = run.workdir / "submitted" / "correct" / "sheet12" / "sheet12.ipynb"
    assert "owned" not in other.read_text()
    again = grade.scores.read_scores(run.workdir / "gradebook.db", SHEET12, ["correct"])
    assert again["correct"].by_cell == FULL


def test_nothing_hidden_reaches_what_students_see(batch) -> None:
    run = batch
    for path in [*run.feedback_dir.rglob("*.html"), *(run.workdir / "autograded").rglob("*.ipynb")]:
        text = path.read_text()
        for secret in ("BEGIN HIDDEN TESTS", 'grade("t12_', "scored outside the student"):
            assert secret not in text, (path, secret)


@pytest.mark.parametrize("student", attack_ids())
def test_no_verdict_or_feedback_page_shows_the_graders_code(batch, student: str) -> None:
    record = records.load(batch.workdir / records.RECORDS_DIRNAME, "sheet12", student)
    for grade_id, cell in record.cells.items():
        for problem in cell.problems:
            assert internals.found_in(problem) == [], (grade_id, problem)
    page = (batch.feedback_dir / student / "sheet12" / "sheet12.html").read_text()
    assert internals.found_in(page, batch.workdir / "autograded" / student / "sheet12" / "sheet12.ipynb") == []


def test_the_seed_is_recorded_and_per_student(batch) -> None:
    run = batch
    seeds = {student: result.seed for student, result in run.scores.items()}
    assert None not in seeds.values()
    assert len(set(seeds.values())) == len(seeds)


def shown_at_some_precision(values: list[float], text: str, digits: int = 4) -> list[float]:
    """The ``values`` that a text shows, at full precision or rounded to any number of decimals
    from ``digits`` on (``-0.1235``, ``0.123457``, ``1.2346e-01``)."""
    printed = re.findall(r"-?\d+\.\d+(?:e[+-]?\d+)?", text)
    shown = []
    for value in values:
        for number in printed:
            mantissa = number.split("e")[0]
            decimals = len(mantissa.split(".")[1])
            exponent = int(number.split("e")[1]) if "e" in number else 0
            if decimals >= digits and abs(float(number) - value) <= 0.5 * 10.0 ** (exponent - decimals) + 1e-15:
                shown.append(value)
                break
    return shown


def test_a_value_counts_as_shown_at_any_precision() -> None:
    assert shown_at_some_precision([0.123456789, -1.5], "x 0.1235 y") == [0.123456789]
    assert shown_at_some_precision([0.123456789], "x 1.234568e-01") == [0.123456789]
    assert shown_at_some_precision([0.123456789], "x 0.12 y 0.1234 z 0.12345679 w") == [0.123456789]
    assert shown_at_some_precision([0.123456789], "x 0.12 y 0.1240") == []


@pytest.mark.attacks("echoes_hidden_inputs")
def test_no_hidden_input_reaches_the_feedback_through_an_error_message(batch) -> None:
    """echoes_hidden_inputs raises with the hidden X in its message: neither the feedback nor the
    record may show any of its numbers, at full precision or rounded to 4 decimals or more."""
    run = batch
    seed = run.scores["echoes_hidden_inputs"].seed
    hidden_X = network_cases(rng_for("t12_2d_backward", seed))[0].X
    feedback = (run.feedback_dir / "echoes_hidden_inputs" / "sheet12" / "sheet12.html").read_text()
    record = (run.workdir / "grading_records" / "sheet12" / "echoes_hidden_inputs.json").read_text()
    assert shown_at_some_precision(hidden_X.ravel().tolist(), feedback + "\n" + record) == []
    assert "backward raised ValueError (its message is not shown" in feedback


# --- Hidden cases: their expected values stay hidden, and they repeat per student ---------------

TUNED = "tuned_to_the_self_checks"  # fails only on hidden cases, with values that depend on them


def numbers_in(text: str) -> set[str]:
    """The decimal numbers of a text, as printed (``-0.046326``, ``1.5e-07``)."""
    return set(re.findall(r"-?\d+\.\d{3,}(?:e[+-]\d+)?", text))


@pytest.mark.attacks(TUNED)
def test_hidden_case_messages_show_what_came_back_but_no_hidden_expected_value(batch) -> None:
    seed = batch.scores[TUNED].seed
    record = records.load(batch.workdir / records.RECORDS_DIRNAME, "sheet12", TUNED)
    message = "\n".join(record.cells["t12_2d_backward"].problems)
    assert "on hidden case" in message and "which is not the expected value" in message, message
    assert "[missing_1_over_n]" in message and numbers_in(message)  # what it returned is shown
    expected = set()
    for case in network_cases(rng_for("t12_2d_backward", seed)):  # the check's own hidden cases
        for grad in numerical_grads(case.X, case.Y, case.params).values():
            expected |= numbers_in(fmt(grad))
    feedback = (batch.workdir / "feedback" / TUNED / "sheet12" / "sheet12.html").read_text()
    assert len(expected) > 20
    assert expected & (numbers_in(feedback) | numbers_in(message)) == set()


@pytest.mark.attacks(TUNED)
def test_regrading_repeats_a_students_hidden_cases_and_another_student_gets_others(batch) -> None:
    """Regrading the same submission gives the same hidden-case verdicts, word for word (the values it
    returned on them included); the same notebook of another student meets other hidden inputs."""
    api = course.api_for(batch.workdir)
    twin = f"{TUNED}_twin"
    shutil.copytree(batch.workdir / "submitted" / TUNED, batch.workdir / "submitted" / twin)
    before = records.load(batch.workdir / records.RECORDS_DIRNAME, "sheet12", TUNED)
    for student in (TUNED, twin):
        assert api.autograde("sheet12", student, force=True)["success"]
    again, other = (records.load(batch.workdir / records.RECORDS_DIRNAME, "sheet12", s) for s in (TUNED, twin))
    assert again.seed == before.seed and again.cells == before.cells
    assert other.seed != before.seed
    assert other.cells["t12_2d_backward"].points == before.cells["t12_2d_backward"].points == 0.0
    assert other.cells["t12_2d_backward"].problems != before.cells["t12_2d_backward"].problems

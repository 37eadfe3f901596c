"""Unit tests of the course's nbgrader settings as the steps read them, and of what the engine says
when an nbgrader step fails (:func:`autograder.course.failure_reason`)."""

from __future__ import annotations

from autograder import course

#: What nbgrader's autograde logs (nbgrader.utils.capture_log's format) on a Dask worker under its
#: nanny, where the stand-in helper could not start.
LOG = """[INFO] Autograding /course/submitted/alice/sheet12/sheet12.ipynb
[ERROR] There was an error processing assignment: /course/submitted/alice/sheet12
[ERROR] Traceback (most recent call last):
  File "/course/autograder/grading/stand_ins.py", line 101, in start
    self._process.start()
AssertionError: daemonic processes are not allowed to have children
"""


def test_a_failed_step_is_told_with_the_exception_under_nbgraders_line() -> None:
    assert course.failure_reason({"log": LOG}) == (
        "There was an error processing assignment: /course/submitted/alice/sheet12"
        " (AssertionError: daemonic processes are not allowed to have children)"
    )


def test_without_a_logged_error_the_exceptions_last_line_is_told() -> None:
    assert course.failure_reason({"log": "", "error": "Traceback ...\nValueError: bad\n"}) == "ValueError: bad"
    assert course.failure_reason({}) == "unknown error"


#: The jail's and the grader's limits as docs/security.md states them, and the setting of the
#: course's nbgrader configuration that holds each: (class, setting, value).
DOCUMENTED_LIMITS = {
    "30 s wall time per notebook cell": ("TrustedExecute", "timeout", 30),
    "10 s per call from the grader": ("TrustedExecute", "call_timeout", 10.0),
    "120 s wall time per submission": ("TrustedExecute", "time_budget", 120.0),
    "a notebook cell keeps 1 MiB of output": ("TrustedExecute", "max_cell_output_bytes", 1024**2),
    "and the notebook 4 MiB": ("TrustedExecute", "max_output_bytes", 4 * 1024**2),
    "2 GiB for all the kernel's processes together": ("JailedKernelManager", "group_memory_bytes", 2 * 1024**3),
    "at most 128 processes and threads": ("JailedKernelManager", "processes", 128),
    "2 GiB address space and 300 s CPU per process": ("JailedKernelManager", "cpu_seconds", 300),
    "size-limited tmpfs folders of 256 MiB each": ("JailedKernelManager", "tmpfs_bytes", 256 * 1024**2),
    "A reference stand-in (`forward` called from a student's `backward`) is computed in a helper process"
    " with 1 GiB of memory": ("TrustedExecute", "stand_in_memory_bytes", 1024**3),
    "the course's configuration forks every kernel from a template": ("JailedKernelManager", "launch", "warm"),
}


def test_the_course_gives_the_grading_steps_the_limits_its_documents_state() -> None:
    """What the grader and the jail enforce is what ``nbgrader_config.py`` sets, read as nbgrader
    reads it (a step built with the course's configuration), and that is what the documents say."""
    from autograder.sandbox.jail import JailedKernelManager
    from autograder.steps.trusted import TrustedExecute
    from tests.guarantees import ROOT, collapsed

    config = course.load_config()
    steps = {"TrustedExecute": TrustedExecute(config=config), "JailedKernelManager": JailedKernelManager(config=config)}
    documents = collapsed((ROOT / "docs" / "security.md").read_text())
    for phrase, (step, setting, value) in DOCUMENTED_LIMITS.items():
        assert phrase in documents, phrase
        assert getattr(steps[step], setting) == value, (phrase, setting)
    assert steps["JailedKernelManager"].memory_bytes == 2 * 1024**3  # the 2 GiB of address space

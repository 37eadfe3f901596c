"""Unit tests of what the engine says when an nbgrader step fails (:func:`autograder.course.failure_reason`)."""

from __future__ import annotations

from autograder import course

#: What nbgrader's autograde logs (nbgrader.utils.capture_log's format) on a Dask worker under its
#: nanny, where the stand-in helper could not start.
LOG = """[INFO] Autograding /course/submitted/alice/sheet12/sheet12.ipynb
[ERROR] There was an error processing assignment: /course/submitted/alice/sheet12
[ERROR] Traceback (most recent call last):
  File "/course/autograder/stand_ins.py", line 101, in start
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

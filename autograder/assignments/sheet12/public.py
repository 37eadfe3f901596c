"""Sheet 12's public self-check module, loaded from source/ for the grader.

Students get ``selfcheck.py`` next to their notebook; the grader uses the same
comparison helpers and sheet constants, always from the course's own copy (a student's
submitted copy is never imported here).
"""

from __future__ import annotations

import importlib.util
import sys

from autograder.notebooks import COURSE_ROOT

SELFCHECK_PATH = COURSE_ROOT / "source" / "sheet12" / "selfcheck.py"


def _load():
    spec = importlib.util.spec_from_file_location("autograder.assignments.sheet12._selfcheck", SELFCHECK_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


selfcheck = _load()

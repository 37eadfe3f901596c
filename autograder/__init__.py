"""The instructor's side of the course: a grading engine and, in :mod:`autograder.assignments`,
one declared unit per assignment (reference solutions, hidden checks, sample submissions).

This package lives only in the course repository. It is never copied into release/,
and a kernel started in a student's copy of an assignment cannot import it.
"""

import os
import sys

# jsonschema (under nbformat and nbgrader) compiles an RFC 3987 grammar at import time when the
# optional rfc3987-syntax package is installed (pulled in by Jupyter's jupyter_events): about
# 1.5 s in every grading process. Only jsonschema's "iri" format check uses it, and neither the
# notebook schema nor nbgrader's asks for that check, so grading processes go without it.
sys.modules.setdefault("rfc3987_syntax", None)

# nbgrader makes a new gradebook by running the `alembic` command by name. The project's commands
# run .venv/bin/python without activating the environment, so its scripts are put on PATH here;
# nbgrader_config.py imports this package, so nbgrader's own commands get it too.
_scripts = os.path.dirname(sys.executable)
if _scripts not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join(filter(None, [_scripts, os.environ.get("PATH")]))

"""Two changes to a grading process, made once at its start by :func:`autograder.patches.apply`.

* **No RFC 3987 grammar.** jsonschema (under nbformat and nbgrader) compiles an RFC 3987 grammar
  when it is imported, if the optional ``rfc3987-syntax`` package is installed (Jupyter's
  ``jupyter_events`` pulls it in): about 1.5 s in every grading process. Only jsonschema's "iri"
  format check uses it, and neither the notebook schema nor nbgrader's asks for that check. It
  saves time only when it comes before jsonschema's import.
* **The environment's scripts on PATH.** nbgrader makes a new gradebook by running the
  ``alembic`` command by name. The project's commands run ``.venv/bin/python`` without activating
  the environment, and a gradebook could not be made without this.
"""

from __future__ import annotations

import os
import sys

#: The module jsonschema imports for its "iri" format check, when it is installed.
RFC3987_GRAMMAR = "rfc3987_syntax"


def skip_rfc3987_grammar() -> None:
    """Make ``import rfc3987_syntax`` fail in this process (jsonschema then goes without it)."""
    sys.modules.setdefault(RFC3987_GRAMMAR, None)  # type: ignore[arg-type]


def scripts_on_path() -> None:
    """Put the folder of this Python's scripts (``alembic`` among them) on PATH, once."""
    scripts = os.path.dirname(sys.executable)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(filter(None, [scripts, os.environ.get("PATH")]))

"""The instructor's side of the course: a grading engine and, in :mod:`autograder.assignments`,
one declared unit per assignment (reference solutions, hidden checks, sample submissions).

This package lives only in the course repository. It is never copied into release/,
and a kernel started in a student's copy of an assignment cannot import it.
"""

import sys

# jsonschema (under nbformat and nbgrader) compiles an RFC 3987 grammar at import time when the
# optional rfc3987-syntax package is installed (pulled in by Jupyter's jupyter_events): about
# 1.5 s in every grading process. Only jsonschema's "iri" format check uses it, and neither the
# notebook schema nor nbgrader's asks for that check, so grading processes go without it.
sys.modules.setdefault("rfc3987_syntax", None)

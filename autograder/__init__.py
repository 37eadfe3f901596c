"""The instructor's side of sheet 12: reference solutions, hidden checks and grading commands.

This package lives only in the course repository. It is never copied into release/,
and a kernel started in a student's copy of the assignment cannot import it.
"""

import sys

# jsonschema (under nbformat and nbgrader) compiles an RFC 3987 grammar at import time when the
# optional rfc3987-syntax package is installed (pulled in by Jupyter's jupyter_events): about
# 1.5 s in every grading process. Only jsonschema's "iri" format check uses it, and neither the
# notebook schema nor nbgrader's asks for that check, so grading processes go without it.
sys.modules.setdefault("rfc3987_syntax", None)

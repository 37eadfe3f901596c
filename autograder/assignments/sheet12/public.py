"""Sheet 12's public self-check module (``source/sheet12/selfcheck.py``), as the grader uses it,
with the expected values of its public cases computed from the reference."""

from autograder.assignments.sheet12 import public_values
from autograder.grading import public

selfcheck = public.load("sheet12", public_values.expected)

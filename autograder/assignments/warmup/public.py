"""The warm-up's public self-check module (``source/warmup/selfcheck.py``), as the grader uses it,
with the expected values of its examples computed from the reference."""

from autograder.assignments.warmup import public_values
from autograder.grading import public

selfcheck = public.load("warmup", public_values.expected)

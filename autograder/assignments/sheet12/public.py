"""Sheet 12's public self-check module (``source/sheet12/selfcheck.py``), as the grader uses it."""

from autograder import public

selfcheck = public.load("sheet12")

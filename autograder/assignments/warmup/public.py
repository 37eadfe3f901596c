"""The warm-up's public self-check module (``source/warmup/selfcheck.py``), as the grader uses it."""

from autograder import public

selfcheck = public.load("warmup")

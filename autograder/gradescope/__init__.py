"""Gradescope: the course's grading, one submission per container.

* :mod:`.bundle` zips the autograder Gradescope runs: ``setup.sh`` (builds the image once),
  ``run_autograder`` (grades one submission) and the course (nbgrader config, source/, the
  ``autograder`` package, requirements.txt).
* :mod:`.run` grades the submission in the container with the same nbgrader pipeline as
  ``python -m autograder grade`` and writes ``results.json``.
* :mod:`.results` turns the graded scores into ``results.json``: one test per part.
"""

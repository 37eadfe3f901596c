"""The instructor's side of the course: a grading engine and, in :mod:`autograder.assignments`,
one declared unit per assignment (reference solutions, hidden checks, sample submissions).

This package lives only in the course repository. It is never copied into release/,
and a kernel started in a student's copy of an assignment cannot import it. Importing it changes
nothing: a grading process calls :func:`autograder.patches.apply` at its start.

Its folders, from the top down (each imports only from those below it):

* :mod:`~autograder.commands`: ``python -m autograder`` and each of its commands;
* :mod:`~autograder.gradescope`: the same grading, one submission per Gradescope container;
* :mod:`~autograder.batch`: a class at a time: submissions found, graded by local workers or Dask;
* :mod:`~autograder.reports`: scores, the class report and page, feedback pages, LMS files;
* :mod:`~autograder.steps`: the nbgrader steps that grade a submission and make it safe to show;
* :mod:`~autograder.grading`: the grading model: assignments, checks' verdicts, records, samples;
* :mod:`~autograder.sandbox`: the jail, the kernel in it, and the plain-data wire;
* beside them: :mod:`~autograder.course` (an nbgrader course and its API) and
  :mod:`~autograder.patches` (what the course changes in nbgrader and Jupyter).
"""

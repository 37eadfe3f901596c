"""What a student reads about a graded submission.

:mod:`~autograder.reports.feedback.summary` builds the summary by part (points, named mistakes with their
hints, faults in plain words, answers graded by hand); the feedback page
(:mod:`~autograder.reports.feedback.exporter`, nbgrader's ``generate_feedback``) and Gradescope's
``results.json`` both show it. :mod:`~autograder.steps.mathml` renders the notebook's
mathematics when the page is written, so the page needs no network.
"""

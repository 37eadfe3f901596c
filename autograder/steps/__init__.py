"""The nbgrader steps that ``nbgrader_config.py`` names: :mod:`.trusted` grades a submission
outside the student's kernel (``TrustedExecute``), :mod:`.sanitize` makes what it stores inert for
a browser, judged by :mod:`.safe_html` and :mod:`.html_check`, with the mathematics rendered as
the feedback page renders it (:mod:`.mathml`)."""

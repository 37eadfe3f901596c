"""The grading model, knowing no nbgrader command: what an assignment declares
(:mod:`.assignment`), what a check returns (:mod:`.verdict`), the self-check kit both sides share
(:mod:`.selfcheck_kit`, :mod:`.public`, :mod:`.support_files`), the reference stand-ins
(:mod:`.stand_ins`), notebooks and samples, and what a grading leaves behind (:mod:`.records`,
:mod:`.cost`)."""

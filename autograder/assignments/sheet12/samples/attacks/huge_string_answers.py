"""statement_answers and new_risk are one 150 MB string: the grader's helper in the kernel refuses
to send a string over 10**6 characters, so the grader never holds it; both cells get 0 with an
"answer too large" fault, and the rest keeps its points."""

EXPECTED = {"scores": {"t12_1_1_statements": 0.0, "t12_2f_new_risk": 0.0}, "fault": "answer too large"}


# %% t12_1_1_statements_solution
statement_answers = "x" * 150_000_000


# %% t12_2f_new_risk_solution
new_risk = statement_answers

"""Statement 2 answered False (as a tuple, which the format allows): 3 of the 4 points."""

EXPECTED = {"scores": {"t12_1_1_statements": 3.0}}


# %% t12_1_1_statements_solution
statement_answers = (True, False, True, False)

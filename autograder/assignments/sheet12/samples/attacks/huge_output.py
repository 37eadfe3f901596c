"""Prints 10 MB before a correct answer: full marks."""

EXPECTED = {}


# %% t12_1_1_statements_solution
for _ in range(100_000):
    print("x" * 99)
statement_answers = (True, True, True, False)

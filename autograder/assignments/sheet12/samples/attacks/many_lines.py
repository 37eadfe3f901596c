"""Prints 5,000 short lines (40 KB, under the grader's byte limit) before a correct answer: nbgrader's
LimitOutput keeps 1,000 lines of the cell; full marks."""

EXPECTED = {}


# %% t12_1_1_statements_solution
for line in range(5000):
    print(line)
statement_answers = (True, True, True, False)

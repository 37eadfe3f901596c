"""One 200 MB line of output: ZeroMQ never reads a message over the grader's 32 MiB limit; the
cell's output is lost with an "output limit" fault, the kernel keeps the cell's definitions, and
every answer keeps its points."""

EXPECTED = {"fault": "output limit"}


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
print("x" * 200_000_000)

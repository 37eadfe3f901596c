"""Twenty 25 MB display outputs in one cell (each under the message limit): the grader keeps the
cell's first MiB of output and drops the rest with an "output limit" fault; full marks."""

EXPECTED = {"fault": "output limit"}


# %% t12_2a_count_parameters_solution
from IPython.display import display
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
for _ in range(20):
    display({"text/plain": "x" * 25_000_000}, raw=True)

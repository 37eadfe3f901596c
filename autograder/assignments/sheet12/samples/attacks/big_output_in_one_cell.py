"""Three 600 kB display outputs in one cell: 1.8 MB, over the cell's 1 MiB of output but under the
notebook's 4 MiB. The grader keeps the cell's first MiB and drops the rest with an "output limit"
fault; full marks."""

EXPECTED = {"fault": "output limit"}


# %% t12_2a_count_parameters_solution
from IPython.display import display
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
for _ in range(3):
    display({"text/plain": "x" * 600_000}, raw=True)

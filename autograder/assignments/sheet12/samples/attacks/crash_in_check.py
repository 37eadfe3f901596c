"""A count_parameters that ends the kernel (os._exit) when the grader calls it on layer widths the
notebook's self-check never uses: a crash during a hidden check, not while the notebook runs. It
costs that cell only: every check after it gets a fresh kernel with the notebook run again."""

EXPECTED = {"scores": {"t12_2a_count_parameters": 0.0}, "fault": "crash"}


# %% t12_2a_count_parameters_solution
import os
def count_parameters(layer_sizes):
    if list(layer_sizes) not in ([2, 2, 1], [3, 4, 2], [4, 1], [2, 3, 3, 1]):
        os._exit(1)
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))

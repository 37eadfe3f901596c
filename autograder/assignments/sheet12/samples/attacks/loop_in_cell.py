"""An endless loop at the top of a solution cell: a timeout, and only that cell loses points."""

EXPECTED = {"scores": {"t12_2a_count_parameters": 0.0}, "fault": "timeout"}


# %% t12_2a_count_parameters_solution
while True:
    pass
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))

"""count_parameters counts the weights but not the biases."""

EXPECTED = {"scores": {"t12_2a_count_parameters": 0.0}, "mistake": "weights_only"}


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))

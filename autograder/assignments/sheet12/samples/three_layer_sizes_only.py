"""count_parameters unpacks exactly three layer sizes (the sheet's [2, 2, 1]): right for three,
an error for two or four. The self-check tries other numbers of layers too, so it says so."""

EXPECTED = {"scores": {"t12_2a_count_parameters": 0.0}}


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    d, h, k = layer_sizes
    return d * h + h + h * k + k

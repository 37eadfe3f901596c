"""deep_linear_forward written for the sheet's K = 3 only (weights[0], weights[1], weights[2]): right
at depth 3, an IndexError at other depths. The self-check tries other depths too, so it says so."""

EXPECTED = {"scores": {"t12_1_2_deep_linear_forward": 0.0}}


# %% t12_1_2_deep_linear_forward_solution
def deep_linear_forward(x, weights):
    return (weights[2] @ weights[1] @ weights[0] @ x).item()

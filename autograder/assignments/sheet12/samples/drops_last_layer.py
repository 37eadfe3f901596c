"""deep_linear_forward applies every weight matrix but the last."""

EXPECTED = {"scores": {"t12_1_2_deep_linear_forward": 0.0}, "mistake": "drops_last_layer"}


# %% t12_1_2_deep_linear_forward_solution
def deep_linear_forward(x, weights):
    out = x
    for W in weights[:-1]:
        out = W @ out
    return float(out[0])

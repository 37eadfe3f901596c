"""gd_step updates the parameters in place and returns them."""

EXPECTED = {"scores": {"t12_2e_gd_step": 0.0}, "mistake": "mutates_inputs"}


# %% t12_2e_gd_step_solution
def gd_step(params, grads, lr):
    for name in params:
        params[name] -= lr * grads["d" + name]
    return params

"""gd_step takes a full gradient step whatever lr is: right on the sheet (lr = 1), wrong elsewhere."""

EXPECTED = {"scores": {"t12_2e_gd_step": 0.0}, "mistake": "ignores_lr"}


# %% t12_2e_gd_step_solution
def gd_step(params, grads, lr):
    return {name: value - grads["d" + name] for name, value in params.items()}

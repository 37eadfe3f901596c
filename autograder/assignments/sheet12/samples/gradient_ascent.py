"""gd_step adds the gradient instead of subtracting it; new_risk follows it."""

EXPECTED = {"scores": {"t12_2e_gd_step": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "gradient_ascent"}


# %% t12_2e_gd_step_solution
def gd_step(params, grads, lr):
    return {name: value + lr * grads["d" + name] for name, value in params.items()}

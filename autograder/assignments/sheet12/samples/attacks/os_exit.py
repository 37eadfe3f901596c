"""A gd_step that ends the kernel with os._exit(1): a crash."""

EXPECTED = {"scores": {"t12_2e_gd_step": 0.0, "t12_2f_new_risk": 0.0}, "fault": "crash"}


# %% t12_2e_gd_step_solution
import os
def gd_step(params, grads, lr):
    os._exit(1)

"""A cross_entropy that calls sys.exit(3): the cell fails, no fault."""

EXPECTED = {"scores": {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0}}


# %% t12_2c_cross_entropy_solution
import sys
def cross_entropy(Y, Y_hat):
    sys.exit(3)

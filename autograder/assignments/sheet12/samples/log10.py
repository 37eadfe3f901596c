"""cross_entropy uses log10 instead of the natural log; new_risk follows it."""

EXPECTED = {"scores": {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "log10"}


# %% t12_2c_cross_entropy_solution
def cross_entropy(Y, Y_hat):
    return float(-np.mean(Y * np.log10(Y_hat) + (1 - Y) * np.log10(1 - Y_hat)))

"""cross_entropy sums the losses instead of averaging them; new_risk follows it."""

EXPECTED = {"scores": {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "sum_instead_of_mean"}


# %% t12_2c_cross_entropy_solution
def cross_entropy(Y, Y_hat):
    return float(-np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))

"""cross_entropy flattens Y_hat to shape (n,) against Y of shape (n, 1), so broadcasting
averages an n x n matrix; new_risk follows it."""

EXPECTED = {"scores": {"t12_2c_cross_entropy": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "broadcast_n1_vs_n"}


# %% t12_2c_cross_entropy_solution
def cross_entropy(Y, Y_hat):
    Y_hat = Y_hat.ravel()
    return float(-np.mean(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))

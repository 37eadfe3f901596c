"""backward takes the sigmoid's derivative at Z1, Z1 * (1 - Z1), instead of A1 * (1 - A1);
new_risk follows it."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "sigmoid_prime_at_Z"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    n = X.shape[0]
    Z1, A1, A2 = cache["Z1"], cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * Z1 * (1 - Z1)
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=0, keepdims=True),
        "dW2": A1.T @ dZ2,
        "db2": dZ2.sum(axis=0, keepdims=True),
    }

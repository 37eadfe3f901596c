"""backward evaluates sigmoid' at A1 (sigmoid(A1) * (1 - sigmoid(A1))) instead of at Z1; new_risk follows it."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "sigmoid_prime_of_A"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * sigmoid(A1) * (1 - sigmoid(A1))
    return {
        "dW1": X.T @ dZ1,
        "db1": dZ1.sum(axis=0, keepdims=True),
        "dW2": A1.T @ dZ2,
        "db2": dZ2.sum(axis=0, keepdims=True),
    }

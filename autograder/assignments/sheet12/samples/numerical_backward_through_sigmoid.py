"""backward differentiates the risk numerically through the notebook's sigmoid (the forward pass
written out, the sigmoid called): the sigmoid runs twice per parameter, which gives it away."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0}, "mistake": "numerical_gradient"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    def risk(p):
        A2 = sigmoid(sigmoid(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])
        return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))

    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value, dtype=float)
        for index in np.ndindex(value.shape):
            up = {key: np.array(array, dtype=float) for key, array in params.items()}
            down = {key: np.array(array, dtype=float) for key, array in params.items()}
            up[name][index] += 1e-6
            down[name][index] -= 1e-6
            grad[index] = (risk(up) - risk(down)) / 2e-6
        grads["d" + name] = grad
    return grads

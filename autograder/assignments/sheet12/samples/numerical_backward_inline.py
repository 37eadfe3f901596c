"""backward differentiates the risk numerically with the forward pass written inline (no call of
forward, sigmoid or cross_entropy): right values everywhere, and a cost that gives it away on the
wide hidden case (thousands of parameters)."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0}, "mistake": "numerical_gradient"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    def risk():
        A1 = 1.0 / (1.0 + np.exp(-(X @ params["W1"] + params["b1"])))
        A2 = 1.0 / (1.0 + np.exp(-(A1 @ params["W2"] + params["b2"])))
        return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))

    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + 1e-6
            up = risk()
            value[index] = original - 1e-6
            down = risk()
            value[index] = original
            grad[index] = (up - down) / 2e-6
        grads["d" + name] = grad
    return grads

"""backward differentiates the risk by the complex step (one complex forward pass per parameter,
exact to rounding): right values everywhere, and the cost of a pass per parameter on the wide
hidden case."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0}, "mistake": "numerical_gradient"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    grads = {}
    for name, value in params.items():
        shifted = {key: np.array(array, dtype=complex) for key, array in params.items()}
        grad = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            shifted[name][index] += 1e-20j
            A1 = 1.0 / (1.0 + np.exp(-(X @ shifted["W1"] + shifted["b1"])))
            A2 = 1.0 / (1.0 + np.exp(-(A1 @ shifted["W2"] + shifted["b2"])))
            risk = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
            grad[index] = risk.imag / 1e-20
            shifted[name][index] -= 1e-20j
        grads["d" + name] = grad
    return grads

"""backward differentiates the risk numerically (central differences through forward and
cross_entropy): the right numbers, none of part d)'s backpropagation."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0}, "mistake": "numerical_gradient"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    eps = 1e-6
    grads = {}
    for key, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {name: array.copy() for name, array in params.items()}
            shifted[key][index] += eps
            up = cross_entropy(Y, forward(X, shifted)[0])
            shifted[key][index] -= 2 * eps
            down = cross_entropy(Y, forward(X, shifted)[0])
            grad[index] = (up - down) / (2 * eps)
        grads["d" + key] = grad
    return grads

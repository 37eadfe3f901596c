"""Correct answers written with loops, np.dot, np.einsum and np.ndenumerate instead of the
reference's matrix algebra: full marks."""

EXPECTED = {}


# %% t12_1_1_statements_solution
statement_answers = [True, True, True, False]


# %% t12_1_2_deep_linear_forward_solution
def deep_linear_forward(x, weights):
    out = list(x)
    for W in weights:
        out = [sum(W[i, j] * out[j] for j in range(len(out))) for i in range(W.shape[0])]
    return out[0]


# %% t12_1_2_grad_W3_solution
def grad_W3(x, y, W1, W2, W3):
    inner = np.dot(W2, np.dot(W1, x)).item()
    return 2 * (W3 * inner - y) * inner


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    total = 0
    for i in range(1, len(layer_sizes)):
        total += layer_sizes[i - 1] * layer_sizes[i] + layer_sizes[i]
    return total


# %% t12_2b_sigmoid_solution
def sigmoid(Z):
    out = np.empty(Z.shape)
    for index, z in np.ndenumerate(Z):
        out[index] = 1.0 / (1.0 + np.exp(-z))
    return out


# %% t12_2b_forward_solution
def forward(X, params):
    Z1 = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = np.dot(A1, params["W2"]) + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


# %% t12_2c_cross_entropy_solution
def cross_entropy(Y, Y_hat):
    eps = 1e-12
    total = 0.0
    for y, p in zip(Y[:, 0], np.clip(Y_hat[:, 0], eps, 1 - eps)):
        total += -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return total / len(Y)


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    n = len(X)
    grads = {"d" + name: np.zeros_like(value) for name, value in params.items()}
    for i in range(n):
        x, z1, a2 = cache["X"][i : i + 1], cache["Z1"][i : i + 1], cache["A2"][i : i + 1]
        a1 = sigmoid(z1)
        dz2 = (a2 - Y[i : i + 1]) / n
        grads["dW2"] += a1.T @ dz2
        grads["db2"] += dz2
        dz1 = (dz2 @ params["W2"].T) * sigmoid(z1) * (1 - sigmoid(z1))
        grads["dW1"] += x.T @ dz1
        grads["db1"] += dz1
    return grads


# %% t12_2e_gd_step_solution
def gd_step(params, grads, lr):
    new_params = {}
    for name in params:
        new_params[name] = params[name].copy()
        new_params[name] -= lr * grads["d" + name]
    return new_params

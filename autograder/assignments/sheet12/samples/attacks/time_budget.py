"""Cells that each sleep just under the cell timeout (7.5 s of 8 s in the adversarial batch), around
the right answers: the submission's time budget (48 s there) runs out, the cells after it do not
run, and every test cell scores 0 with a "time budget" fault. The batch goes on."""

EXPECTED = {
    "scores": {
        "t12_1_1_statements": 0.0,
        "t12_1_2_deep_linear_forward": 0.0,
        "t12_1_2_grad_W3": 0.0,
        "t12_2a_count_parameters": 0.0,
        "t12_2b_sigmoid": 0.0,
        "t12_2b_forward": 0.0,
        "t12_2c_cross_entropy": 0.0,
        "t12_2d_backward": 0.0,
        "t12_2e_gd_step": 0.0,
        "t12_2f_new_risk": 0.0,
    },
    "fault": "time budget",
}


# %% t12_1_2_deep_linear_forward_solution
import time
time.sleep(7.5)
def deep_linear_forward(x, weights):
    """Return F(x) = W_K ... W_1 x as a float; weights = [W1, ..., WK]."""
    out = x
    for W in weights:
        out = W @ out
    return float(out[0])


# %% t12_1_2_grad_W3_solution
import time
time.sleep(7.5)
def grad_W3(x, y, W1, W2, W3):
    """Return d/dW3 of (y - W3 W2 W1 x)^2 for a scalar W3, as a float."""
    h = float((W2 @ W1 @ x)[0])  # W2 W1 x is a scalar here
    return -2.0 * (y - W3 * h) * h


# %% t12_2a_count_parameters_solution
import time
time.sleep(7.5)
def count_parameters(layer_sizes):
    """Return the number of weights and biases of a fully connected network, as an int."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))


# %% t12_2b_sigmoid_solution
import time
time.sleep(7.5)
def sigmoid(Z):
    """Return the component-wise logistic function of the array Z."""
    return 1 / (1 + np.exp(-Z))


# %% t12_2b_forward_solution
import time
time.sleep(7.5)
def forward(X, params):
    """Return (Y_hat, cache) for the data X, with cache holding Z1, A1, Z2 and A2."""
    Z1 = X @ params["W1"] + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


# %% t12_2c_cross_entropy_solution
import time
time.sleep(7.5)
def cross_entropy(Y, Y_hat):
    """Return the mean binary cross-entropy of the predictions Y_hat for the labels Y."""
    return float(-np.mean(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))


# %% t12_2d_backward_solution
import time
time.sleep(7.5)
def backward(X, Y, params, cache):
    """Return the gradients of the empirical risk, each shaped like its parameter."""
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n  # (n, 1)
    dW2 = A1.T @ dZ2  # (h, 1), like W2
    db2 = dZ2.sum(axis=0, keepdims=True)  # (1, 1), like b2
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)  # (n, h)
    dW1 = X.T @ dZ1  # (d, h), like W1
    db1 = dZ1.sum(axis=0, keepdims=True)  # (1, h), like b1
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


# %% t12_2e_gd_step_solution
import time
time.sleep(7.5)
def gd_step(params, grads, lr):
    """Return new parameters after one gradient-descent step; the inputs stay unchanged."""
    return {name: value - lr * grads["d" + name] for name, value in params.items()}

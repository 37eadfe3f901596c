"""sigmoid and deep_linear_forward are wrong (the sign in the exponent; the last layer left out),
and the functions that may call them do: forward, backward (which runs forward once more and takes
sigmoid' from sigmoid(Z1)) and grad_W3 (which takes F(x) from deep_linear_forward). While each of
those is checked, the grader serves the reference sigmoid, forward and deep_linear_forward, so
they keep full marks: each mistake costs its own cell (and f, which uses the student's pipeline)."""

EXPECTED = {
    "scores": {"t12_1_2_deep_linear_forward": 0.0, "t12_2b_sigmoid": 0.0, "t12_2f_new_risk": 0.0},
    "mistake": "drops_last_layer",
}


# %% t12_1_2_deep_linear_forward_solution
def deep_linear_forward(x, weights):
    out = x
    for W in weights[:-1]:
        out = W @ out
    return float(out[0])


# %% t12_1_2_grad_W3_solution
def grad_W3(x, y, W1, W2, W3):
    h = float((W2 @ W1 @ x)[0])
    return -2.0 * (y - deep_linear_forward(x, [W1, W2, np.array([[W3]])])) * h


# %% t12_2b_sigmoid_solution
def sigmoid(Z):
    return 1 / (1 + np.exp(Z))


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    n = X.shape[0]
    A2, fresh = forward(X, params)
    A1 = sigmoid(fresh["Z1"])
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}

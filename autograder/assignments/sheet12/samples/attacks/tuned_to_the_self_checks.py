"""A backward tuned to the self-checks: right on their inputs (the sheet's data, the second
network), on any other input without the 1/n of the mean. Its hidden-case feedback quotes what it
returned there, which depends on the student's seeded hidden inputs, and never the expected value."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0}, "mistake": "missing_1_over_n"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    n = X.shape[0] if X.shape in ((4, 2), (5, 3)) else 1
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}

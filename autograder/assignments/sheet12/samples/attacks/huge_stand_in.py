"""A backward that first asks for forward on a few hundred kilobytes that broadcast to gigabytes
((20000, 1) inputs, a (1, 20000) bias), catches the failure, then answers correctly. The grader
computes stand-ins in a memory-bounded helper process: the request is refused with a named
"stand-in limit" fault, the grader's memory stays put, and the correct backward keeps its points."""

EXPECTED = {"fault": "stand-in limit"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    wide = {"W1": np.ones((1, 20000)), "b1": np.ones((1, 20000)), "W2": np.ones((20000, 1)), "b2": np.ones((1, 1))}
    try:
        forward(np.ones((20000, 1)), wide)
    except Exception:
        pass
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {
        "dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
        "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True),
    }

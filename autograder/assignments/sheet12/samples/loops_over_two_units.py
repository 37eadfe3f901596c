"""backward goes back through the hidden layer one unit at a time, for the sheet's two units only
(range(2) instead of the layer's width): right on the sheet's network, wrong on the self-check's
second network (four hidden units), so the self-check already says so."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0}}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = np.zeros_like(A1)
    for unit in range(2):
        dZ1[:, unit] = dZ2[:, 0] * params["W2"][unit, 0] * A1[:, unit] * (1 - A1[:, unit])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}

"""A backward that is right on the self-check's inputs (the sheet's data, the second network, the
wide network of the cost check) and, on any other input, raises an error whose message holds that
input: the feedback must not show it (nor the hidden input in any form)."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0}}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    if X.shape not in ((4, 2), (5, 3), (2, 150)):
        raise ValueError("hidden X was " + repr(X.tolist()))
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}

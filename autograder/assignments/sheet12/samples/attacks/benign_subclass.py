"""A correct backward that returns an ndarray subclass which changes nothing: full marks."""

EXPECTED = {}


# %% t12_2d_backward_solution
class Tagged(np.ndarray):
    pass
def backward(X, Y, params, cache):
    n = X.shape[0]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = (A2 - Y) / n
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    grads = {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
             "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}
    return {key: value.view(Tagged) for key, value in grads.items()}

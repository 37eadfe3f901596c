"""Makes builtins.abs return 0, around a backward without 1/n: the cell still fails."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0}}


# %% t12_2d_backward_solution
import builtins
builtins.abs = lambda value: 0

def backward(X, Y, params, cache):
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}

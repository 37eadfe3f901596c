"""A test cell edited, one deleted, and a graded cell added, around two mistakes."""

EXPECTED = {"scores": {"t12_2c_cross_entropy": 0.0, "t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0}}


# %% t12_2c_cross_entropy_solution
def cross_entropy(Y, Y_hat):
    return float(-np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)))


# %% t12_2c_cross_entropy
pass  # nothing to check here


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = (dZ2 @ params["W2"].T) * A1 * (1 - A1)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}


# %% delete t12_2d_backward


# %% append code {"nbgrader": {"grade": true, "grade_id": "t12_extra", "locked": true, "points": 50, "schema_version": 3, "solution": false, "task": false}}
print('free points')

"""grad_W3 without the factor 2 that the derivative of the square brings down."""

EXPECTED = {"scores": {"t12_1_2_grad_W3": 0.0}, "mistake": "missing_factor_2"}


# %% t12_1_2_grad_W3_solution
def grad_W3(x, y, W1, W2, W3):
    h = float((W2 @ W1 @ x)[0])
    return -(y - W3 * h) * h

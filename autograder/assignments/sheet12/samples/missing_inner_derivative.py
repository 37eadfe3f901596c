"""grad_W3 stops the chain rule early: -2 (y - F(x)) without the factor W2 W1 x."""

EXPECTED = {"scores": {"t12_1_2_grad_W3": 0.0}, "mistake": "missing_inner_derivative"}


# %% t12_1_2_grad_W3_solution
def grad_W3(x, y, W1, W2, W3):
    h = float((W2 @ W1 @ x)[0])
    return -2 * (y - W3 * h)

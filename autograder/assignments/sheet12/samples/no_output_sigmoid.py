"""forward leaves out the output layer's sigmoid (A2 = Z2); new_risk follows it."""

EXPECTED = {"scores": {"t12_2b_forward": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "no_output_sigmoid"}


# %% t12_2b_forward_solution
def forward(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return Z2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": Z2}

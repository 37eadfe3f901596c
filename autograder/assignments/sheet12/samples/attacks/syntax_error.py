"""A forward with a syntax error (no colon after the signature)."""

EXPECTED = {"scores": {"t12_2b_forward": 0.0, "t12_2f_new_risk": 0.0}}


# %% t12_2b_forward_solution
def forward(X, params)
    return X

"""sigmoid with the wrong sign in the exponent, 1 / (1 + exp(Z)); new_risk follows it."""

EXPECTED = {"scores": {"t12_2b_sigmoid": 0.0, "t12_2f_new_risk": 0.0}, "mistake": "wrong_sign"}


# %% t12_2b_sigmoid_solution
def sigmoid(Z):
    return 1 / (1 + np.exp(Z))

"""sigmoid with the wrong sign in the exponent, 1 / (1 + exp(Z))."""

EXPECTED = {"scores": {"w2_sigmoid": 0.0}, "mistake": "wrong_sign"}


# %% w2_sigmoid_solution
def sigmoid(Z):
    return 1 / (1 + np.exp(Z))

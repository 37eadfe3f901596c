"""softmax without subtracting the row maximum: nan for scores around 1000."""

EXPECTED = {"scores": {"w3_softmax": 0.0}, "mistake": "unstable"}


# %% w3_softmax_solution
def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)

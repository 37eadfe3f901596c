"""softmax subtracts row maxima of shape (n,), which broadcast along the columns (keepdims forgotten
there): np.exp overflows on the example's large row, and the same rows without it show the broadcast, so
the mistake is named as missing keepdims, not as an overflow."""

EXPECTED = {"scores": {"w3_softmax": 0.0}, "mistake": "missing_keepdims"}


# %% w3_softmax_solution
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1))
    return E / E.sum(axis=1, keepdims=True)

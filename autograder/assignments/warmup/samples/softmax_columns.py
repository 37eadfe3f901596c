"""softmax over the columns (axis=0) instead of the rows; predict_proba, which calls it, is checked with a
correct softmax in its place and keeps its point."""

EXPECTED = {"scores": {"w3_softmax": 0.0}, "mistake": "column_softmax"}


# %% w3_softmax_solution
def softmax(Z):
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)

"""predict_proba writes out a naive softmax of its own instead of calling softmax: right on the notebook's
small example, nan on the hidden scores near 900."""

EXPECTED = {"scores": {"w3_predict_proba": 0.0}, "mistake": "unstable"}


# %% w3_predict_proba_solution
def predict_proba(X, W, b):
    scores = np.exp(X @ W + b)
    return scores / scores.sum(axis=1, keepdims=True)

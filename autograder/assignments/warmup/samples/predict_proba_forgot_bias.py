"""predict_proba leaves out the bias: softmax(X @ W)."""

EXPECTED = {"scores": {"w3_predict_proba": 0.0}, "mistake": "forgot_bias"}


# %% w3_predict_proba_solution
def predict_proba(X, W, b):
    return softmax(X @ W)

"""center_columns subtracts the row means (axis=1) instead of the column means."""

EXPECTED = {"scores": {"w1_center_columns": 0.0}, "mistake": "rows_not_columns"}


# %% w1_center_columns_solution
def center_columns(X):
    return X - X.mean(axis=1, keepdims=True)

"""new_risk typed in, rounded to three digits, instead of computed."""

EXPECTED = {"scores": {"t12_2f_new_risk": 0.0}, "mistake": "rounded"}


# %% t12_2f_new_risk_solution
new_risk = 0.585

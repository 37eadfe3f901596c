"""new_risk is an integer too large for a float (10**400): only new_risk loses its point."""

EXPECTED = {"scores": {"t12_2f_new_risk": 0.0}}


# %% t12_2f_new_risk_solution
new_risk = 10**400

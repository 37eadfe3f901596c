"""A sigmoid that never returns: a timeout."""

EXPECTED = {"scores": {"t12_2b_sigmoid": 0.0, "t12_2f_new_risk": 0.0}, "fault": "timeout"}


# %% t12_2b_sigmoid_solution
def sigmoid(Z):
    while True:
        pass

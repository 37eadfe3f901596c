"""A backward that allocates an 80 GB array: a memory fault."""

EXPECTED = {"scores": {"t12_2d_backward": 0.0, "t12_2f_new_risk": 0.0}, "fault": "memory"}


# %% t12_2d_backward_solution
def backward(X, Y, params, cache):
    hoard = np.ones((10**6, 10**4))
    return {"dW1": hoard}

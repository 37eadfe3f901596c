"""The textbook sigmoid 1 / (1 + exp(-Z)): np.exp overflows (with a warning) for Z = -1000, but the values
are right, and the checks compare values (the self-check in the student's kernel prints a note about the
warning): full marks."""

EXPECTED = {}


# %% w2_sigmoid_solution
def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))

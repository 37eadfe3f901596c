"""The textbook sigmoid 1 / (1 + exp(-Z)): the values are right, but np.exp overflows with a warning for
Z = -1000, and the text asks for a sigmoid without overflow warnings: the self-check and the grader (to
which the kernel reports the warnings of each call) both fail it."""

EXPECTED = {"scores": {"w2_sigmoid": 0.0}, "mistake": "unstable"}


# %% w2_sigmoid_solution
def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))

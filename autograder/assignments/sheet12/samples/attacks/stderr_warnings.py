"""A correct sigmoid that writes to stderr and warns: full marks."""

EXPECTED = {}


# %% t12_2b_sigmoid_solution
import sys, warnings
print("a note on stderr", file=sys.stderr)
def sigmoid(Z):
    warnings.warn("sigmoid called", RuntimeWarning)
    print("debug", file=sys.stderr)
    return 1 / (1 + np.exp(-Z))

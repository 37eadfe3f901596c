"""Hides tracebacks and stderr, then defines a sigmoid that raises: the cell still fails."""

EXPECTED = {"scores": {"t12_2b_sigmoid": 0.0, "t12_2f_new_risk": 0.0}}


# %% t12_2b_sigmoid_solution
import io, sys
get_ipython().showtraceback = lambda *args, **kwargs: None
sys.stderr = io.StringIO()
def sigmoid(Z):
    raise ValueError("no")

"""A cell that ignores SIGINT (the interrupt sent after the cell timeout) and then loops: only
that cell is lost (the kernel is replaced and the cells before it run again), with a timeout
fault; the rest of the notebook is graded."""

EXPECTED = {"scores": {"t12_2a_count_parameters": 0.0}, "fault": "timeout"}


# %% t12_2a_count_parameters_solution
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
while True:
    pass

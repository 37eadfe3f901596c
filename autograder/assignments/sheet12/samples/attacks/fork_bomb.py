"""Forks until forking fails, then ends its children: the jail's process limit stops it, the
record names the "process limit", and every answer keeps its points."""

EXPECTED = {"fault": "process limit"}


# %% t12_2a_count_parameters_solution
import os
import signal
import time
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
_children = []
try:
    for _ in range(100_000):
        _pid = os.fork()
        if _pid == 0:
            time.sleep(10)
            os._exit(0)
        _children.append(_pid)
except OSError as error:
    print("fork failed after", len(_children), "children:", type(error).__name__)
for _pid in _children:
    os.kill(_pid, signal.SIGKILL)
    os.waitpid(_pid, 0)

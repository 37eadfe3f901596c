"""Round three, item 4: a hundred busy processes, each in a session of its own, spin for two
seconds while the cell sleeps under the cell time limit; then the cell ends them. The jail's control group gives all of them one
CPU's worth of time together (not the machine), so the classmates graded at the same time keep
theirs; every answer keeps its points."""

EXPECTED = {}


# %% t12_2a_count_parameters_solution
import os
import signal
import time
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
_busy, _start = [], time.time() + 1  # all forked before any spins
for _ in range(100):
    _pid = os.fork()
    if _pid == 0:
        os.setsid()
        time.sleep(max(0.0, _start - time.time()))
        while time.time() < _start + 2:
            pass
        os._exit(0)
    _busy.append(_pid)
time.sleep(max(0.0, _start + 2.2 - time.time()))
for _pid in _busy:
    os.kill(_pid, signal.SIGKILL)
    os.waitpid(_pid, 0)

"""Three child processes that each hold 1 GB (each under the per-process limit, together over the
jail's 2 GiB for all its processes) until all three hold it or died: the kernel's control group
kills one of them, the cell goes on (and ends the others), the record names the "memory limit",
and every answer keeps its points."""

EXPECTED = {"fault": "memory limit"}


# %% t12_2a_count_parameters_solution
import subprocess
import sys
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
_hog = "import time; block = b'x' * 1_000_000_000; print('held', flush=True); time.sleep(60)"
_children = [subprocess.Popen([sys.executable, "-c", _hog], stdout=subprocess.PIPE, text=True) for _ in range(3)]
print("held:", [child.stdout.readline().strip() for child in _children])  # "" for a child that was killed
for _child in _children:
    _child.kill()
print("exit codes:", sorted(child.wait() for child in _children))

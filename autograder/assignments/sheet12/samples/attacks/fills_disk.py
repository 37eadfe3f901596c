"""Writes until the disk is full in /tmp, /dev/shm and the working folder (each a size-limited
file system in the jail): it prints how much each took, the last write fails with "No space left
on device" (a "disk limit" fault), and every answer keeps its points."""

EXPECTED = {"fault": "disk limit"}


# %% t12_2a_count_parameters_solution
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
def _fill(path):
    written = 0
    with open(path, "wb") as sink:
        try:
            while written < 4 * 1024**3:
                sink.write(b"x" * 1024**2)
                sink.flush()
                written += 1024**2
        finally:
            print(f"MiB written to {path}: {written // 1024**2}")
for _place in ("/tmp/fill", "/dev/shm/fill"):
    try:
        _fill(_place)
    except OSError:
        pass
_fill("fill")

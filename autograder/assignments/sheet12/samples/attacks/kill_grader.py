"""Sends SIGKILL to its parent process and to PID 1, then answers correctly: full marks."""

EXPECTED = {}


# %% t12_1_1_statements_solution
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as error:
        print("kill failed:", error)
statement_answers = (True, True, True, False)

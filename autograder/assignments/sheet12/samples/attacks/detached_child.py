"""Starts a detached process that, two seconds later, overwrites the gradebook and another
student's submission; it then answers correctly: full marks, and nothing overwritten."""

EXPECTED = {}


# %% t12_1_1_statements_solution
import subprocess, sys
code = '''
import time
time.sleep(2)
for target in ['__WORKDIR__/gradebook.db', '__WORKDIR__/submitted/correct/sheet12/sheet12.ipynb']:
    try:
        open(target, "w").write("owned")
    except OSError:
        pass
'''
subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
statement_answers = (True, True, True, False)

"""``python -m autograder``: the command line of :mod:`autograder.cli`.

It is imported only when run: every process that ``multiprocessing`` spawns (a grading worker, the
stand-in helper) imports the main module again, and the helper needs none of the command's
imports (nbgrader, nbconvert: most of a second).
"""

import sys

if __name__ == "__main__":
    from autograder.cli import main

    sys.exit(main())

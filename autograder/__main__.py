"""``python -m autograder``: the command line of :mod:`autograder.commands.cli`.

The process's start-up changes (:func:`autograder.patches.apply`) come first, before nbgrader is
imported. Every process that ``multiprocessing`` spawns from this one (a grading worker, the
stand-in helper) imports this module again (as ``__mp_main__``): it gets the same changes, and
none of the command's imports (nbgrader, nbconvert: most of a second), which only ``__main__``
makes.
"""

import sys

from autograder import patches

patches.apply()

if __name__ == "__main__":
    from autograder.commands.cli import main

    sys.exit(main())

"""An assignment's public self-check module, loaded for the grader from the course's source/.

Students get ``selfcheck.py`` (and the kit it imports) next to their notebook; the grader
uses the same checks, always from the course's own copy in ``source/<assignment>/`` (a
student's submitted copy is never imported here), with the kit from this package.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from autograder import selfcheck_kit
from autograder.notebooks import COURSE_ROOT

#: The name an assignment's self-check imports the kit by (the file the build puts next to it).
KIT_MODULE = "selfcheck_kit"


def load(assignment: str, module: str = "selfcheck") -> ModuleType:
    """``source/<assignment>/<module>.py`` of the course, as a module of this process."""
    sys.modules.setdefault(KIT_MODULE, selfcheck_kit)
    path = COURSE_ROOT / "source" / assignment / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"autograder.assignments.{assignment}._{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loaded
    spec.loader.exec_module(loaded)
    return loaded

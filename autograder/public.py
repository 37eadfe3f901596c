"""An assignment's public self-check module, loaded for the grader from the course's source/.

Students get ``selfcheck.py`` (and the kit it imports) next to their notebook; the grader
uses the same checks, always from the course's own copy in ``source/<assignment>/`` (a
student's submitted copy is never imported here), with the kit from this package.
"""

from __future__ import annotations

import functools
import sys
from types import ModuleType

from autograder import selfcheck_kit
from autograder.notebooks import COURSE_ROOT

#: The name an assignment's self-check imports the kit by (the file the build puts next to it).
KIT_MODULE = "selfcheck_kit"


def load(assignment: str, module: str = "selfcheck") -> ModuleType:
    """``source/<assignment>/<module>.py`` of the course, as a module of this process. It is
    compiled and run directly, so no bytecode is written into the course's source/."""
    sys.modules.setdefault(KIT_MODULE, selfcheck_kit)
    path = COURSE_ROOT / "source" / assignment / f"{module}.py"
    loaded = ModuleType(f"autograder.assignments.{assignment}._{module}")
    loaded.__file__ = str(path)
    sys.modules[loaded.__name__] = loaded  # dataclasses look their module up here
    exec(compile(path.read_text(), str(path), "exec"), loaded.__dict__)
    return loaded


def mistake_meanings(assignment: str) -> dict[str, str]:
    """The assignment's catalogue of named mistakes (``MISTAKES`` of its self-check): name to what it
    means; empty when its self-check has none. Read once per version of the file (the feedback of
    every student asks)."""
    path = COURSE_ROOT / "source" / assignment / "selfcheck.py"
    if not path.is_file():
        return {}
    return dict(_meanings(assignment, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=16)
def _meanings(assignment: str, version: int) -> tuple[tuple[str, str], ...]:
    return tuple(getattr(load(assignment), "MISTAKES", {}).items())

"""nbgrader settings of the sheet 12 course; the folder holding this file is the course root.

Every nbgrader command run here (generate_assignment, autograde, generate_feedback,
export, formgrader) and the project's own ``python -m autograder`` use these settings.
"""

import os
from pathlib import Path

from nbgrader.preprocessors import (
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    IncludeHeaderFooter,
    LockCells,
)

c = get_config()

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = "sheet12"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Students see this stub in place of each solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Published solutions: the instructor's answers without outputs and without hidden tests
# (nbgrader's default keeps the hidden tests and executes the notebook).
c.GenerateSolution.preprocessors = [IncludeHeaderFooter, LockCells, ClearOutput, ClearMarkScheme, ClearHiddenTests]

# A cell that runs longer than this scores zero; later cells still run.
c.Execute.timeout = 60

# The hidden test regions import the course's `autograder` package. Only kernels
# started by nbgrader commands in this course can find it; a student's kernel cannot.
_paths = [path for path in os.environ.get("PYTHONPATH", "").split(os.pathsep) if path]
if str(COURSE_ROOT) not in _paths:
    os.environ["PYTHONPATH"] = os.pathsep.join([str(COURSE_ROOT), *_paths])

"""nbgrader settings of the course; the folder holding this file is the course root.

Every nbgrader command run here (generate_assignment, autograde, generate_feedback,
export, formgrader) and the project's own ``python -m autograder`` use these settings.
"""

import sys
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CoalesceStreamsPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    IncludeHeaderFooter,
    LimitOutput,
    LockCells,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

c = get_config()

COURSE_ROOT = Path(__file__).resolve().parent
# The grading steps below live in this course's `autograder` package (never in a student's kernel).
if str(COURSE_ROOT) not in sys.path:
    sys.path.insert(0, str(COURSE_ROOT))

try:
    from autograder import patches

    patches.apply()  # the course's start-up changes, for nbgrader's own commands too (`alembic` on PATH)
    from autograder.patches.metadata_check import CheckCellMetadataOnce
    from autograder.reports.feedback.exporter import (
        NBGRADER_TEMPLATES,
        TEMPLATE_NAME,
        TEMPLATES,
        FeedbackExporter,
        SummarizeFeedback,
    )
    from autograder.steps.sanitize import ForgetUnknownCells, SanitizeSubmission
    from autograder.steps.trusted import TrustedExecute
except Exception as error:
    # nbgrader logs a config file that raises an Exception and goes on with its defaults, which
    # would run students' code unjailed; SystemExit is not caught, so every command stops here.
    raise SystemExit(
        f"{__file__}: the course's grading steps cannot be loaded ({type(error).__name__}: {error}); nothing is"
        " graded without them. Run `bash install.sh` in the course folder, then try again."
    ) from error

c.CourseDirectory.root = str(COURSE_ROOT)
# The course in nbgrader's exchange (students fetch and submit under it; an LMS export does not use it).
c.CourseDirectory.course_id = "neural-networks"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Students see this stub in place of each solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# generate_assignment: nbgrader's steps, its metadata check as CheckCellMetadataOnce (see below).
c.GenerateAssignment.preprocessors = [
    CheckCellMetadataOnce if step is CheckCellMetadata else step
    for step in GenerateAssignment.class_traits()["preprocessors"].default()
]

# Published solutions: the instructor's answers without outputs and without hidden tests
# (nbgrader's default keeps the hidden tests and executes the notebook).
c.GenerateSolution.preprocessors = [IncludeHeaderFooter, LockCells, ClearOutput, ClearMarkScheme, ClearHiddenTests]

# Trusted grading: nbgrader's Execute is replaced by TrustedExecute, which runs the notebook in a
# jailed kernel (bubblewrap: no course files, no network, memory and CPU limits) and scores every
# test cell in the grader's own process from plain data. SanitizeSubmission then makes everything
# the student wrote or printed inert for a browser (the formgrader, feedback and JupyterLab show
# what autograding stores). nbconvert's CoalesceStreamsPreprocessor stores a cell's printed text as
# one output per stream, however the kernel's messages split it (grading the same notebook twice
# stores the same notebook). The other steps are nbgrader's defaults (CheckCellMetadataOnce is
# nbgrader's CheckCellMetadata with its JSON schema compiled once, not once per cell).
c.Autograde.autograde_preprocessors = [
    TrustedExecute,
    CoalesceStreamsPreprocessor,
    SanitizeSubmission,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadataOnce,
]
c.CoalesceStreamsPreprocessor.enabled = True
# Sanitizing: nbgrader's steps, plus ForgetUnknownCells for graded cells a student made up (and
# CheckCellMetadataOnce as above).
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    ForgetUnknownCells,
    OverwriteCells,
    CheckCellMetadataOnce,
]
# nbconvert checks a notebook against the schema once, after all of a conversion's steps, not after
# each one (fifteen checks per submission were a fifth of nbgrader's own steps); a step that made
# the notebook invalid still fails its conversion, named as the last step instead of itself.
c.Exporter.optimistic_validation = True
# Every HTML export (feedback, formgrader) also runs outputs through nbconvert's own sanitizer.
# (nbgrader's templates render markdown without it: SanitizeSubmission covers markdown.)
c.HTMLExporter.sanitize_html = True
# Feedback (nbgrader generate_feedback): nbgrader's page and steps, plus the summary by part on top,
# each test cell's verdict as prose in place of its outputs (the points value nbgrader reads stays
# in the autograded notebook), and the mathematics as MathML: the page needs no network.
c.GenerateFeedback.exporter_class = FeedbackExporter
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, SummarizeFeedback]
c.FeedbackExporter.template_name = TEMPLATE_NAME
c.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES), str(NBGRADER_TEMPLATES)]
# Test cells a student deleted come back from the gradebook (edited ones are always restored).
c.OverwriteCells.add_missing_cells = True
# A notebook cell that runs longer than this is interrupted (and its part may score zero).
c.Execute.timeout = 30
# A jailed kernel is discarded after grading: kill it rather than wait for a graceful exit.
c.Execute.shutdown_kernel = "immediate"
# One call into a student's function by the grader may take this long.
c.TrustedExecute.call_timeout = 10.0
# One submission (all its cells, kernel restarts and checks) may take this long; past it, what is
# left scores 0 with a "time budget" fault and the batch goes on (a normal one takes a few seconds).
c.TrustedExecute.time_budget = 120.0
# Output the grader keeps of one cell and of the whole notebook (the rest: an "output limit" fault).
c.TrustedExecute.max_cell_output_bytes = 1024**2
c.TrustedExecute.max_output_bytes = 4 * 1024**2
# Memory of the helper process that computes reference stand-ins on a student's arguments.
c.TrustedExecute.stand_in_memory_bytes = 1024**3
# No message from a student's kernel larger than this is read; at most this many wait unread.
c.BoundedKernelClient.max_message_bytes = 32 * 1024**2
c.BoundedKernelClient.max_queued_messages = 4
# Limits of a student's kernel.
c.JailedKernelManager.memory_bytes = 2 * 1024**3
c.JailedKernelManager.cpu_seconds = 300
# Memory of all the kernel's processes together, their tmpfs files included (past it, the largest is killed).
c.JailedKernelManager.group_memory_bytes = 2 * 1024**3
# Processes (threads included) the kernel may run at once.
c.JailedKernelManager.processes = 128
# CPU time all the kernel's processes get together, in CPUs: one submission's busy processes take no
# more than this from the classmates graded at the same time.
c.JailedKernelManager.cpus = 1.0
# Bytes the kernel may write in each of its working folder (beyond the assignment's files), home, /tmp and /dev/shm.
c.JailedKernelManager.tmpfs_bytes = 256 * 1024**2
# "required": no kernel without a control group for the two limits above and a size-limited socket
# folder (both need root); "if available": go without them.
c.JailedKernelManager.cgroups = "required"
# "warm": every kernel is forked from a jailed template that imported NumPy, IPython and ipykernel once
# (docs/security.md, "Warm kernels"); "cold": a fresh Python per kernel. Without namespaces or control
# groups (Gradescope's user isolation), kernels start cold.
c.JailedKernelManager.launch = "warm"

"""The nbgrader course: its settings and nbgrader's own API, for any course root.

The project's commands use the repository's ``nbgrader_config.py`` and may point it at
another root (a scratch copy for grading, a temporary copy for staleness checks).
"""

from __future__ import annotations

import re
import shutil
import warnings
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from nbgrader.api import Base, Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import GenerateSolution
from nbgrader.coursedir import CourseDirectory
from nbgrader.dbutil import ALEMBIC_DIR
from nbgrader.utils import capture_log
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SAWarning
from traitlets.config import Config, PyFileConfigLoader

from autograder.grading.notebooks import COURSE_ROOT

# nbgrader 0.9's gradebook code trips SQLAlchemy 2's autoflush warnings; the rows are written all the same.
warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")


class NbgraderError(RuntimeError):
    """An nbgrader step failed; the message carries its log."""


def load_config(root: Path = COURSE_ROOT, overrides: Config | None = None) -> Config:
    """The course's nbgrader settings, with ``root`` as the course directory (and ``overrides``)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE_ROOT)).load_config()
    config.CourseDirectory.root = str(root)
    config.NbGraderAPI.log_level = "ERROR"
    if overrides is not None:
        config.merge(overrides)
    return config


def gradebook_url(root: Path) -> str:
    """The database URL of the gradebook of the course at ``root``, as nbgrader spells it for an
    absolute root."""
    return f"sqlite:///{root / 'gradebook.db'}"


def api_for(root: Path = COURSE_ROOT, overrides: Config | None = None) -> NbGraderAPI:
    """nbgrader's Python API on the course at ``root``."""
    config = load_config(root, overrides)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


#: The last line of a Python traceback: the exception and its message.
RAISED = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b.*")


def failure_reason(result: dict) -> str:
    """The first error nbgrader logged for a failed step, with the exception under it (nbgrader's
    own line, "There was an error processing assignment", does not say what went wrong), else the
    exception's last line."""
    log = result.get("log", "").splitlines()
    errors = [line.removeprefix("[ERROR] ") for line in log if line.startswith("[ERROR]")]
    raised = [line.strip() for line in log if RAISED.match(line.strip())]
    if errors:
        return f"{errors[0]} ({raised[-1][:300]})" if raised and raised[-1] not in errors[0] else errors[0]
    lines = [line for line in result.get("error", "").splitlines() if line.strip()][-1:]
    return lines[0] if lines else "unknown error"


def _checked(result: dict, step: str) -> dict:
    if not result.get("success"):
        raise NbgraderError(f"nbgrader {step} failed:\n{result.get('log', '')}{result.get('error', '')}")
    return result


def generate_assignment(api: NbGraderAPI, assignment: str) -> None:
    """``nbgrader generate_assignment <assignment> --force``: release/ and the gradebook's copy of the tests."""
    _checked(api.generate_assignment(assignment, force=True), "generate_assignment")


def generate_solution(api: NbGraderAPI, assignment: str) -> None:
    """``nbgrader generate_solution <assignment> --force`` with the course's settings (no hidden tests)."""
    api.coursedir.assignment_id = assignment
    app = GenerateSolution(coursedir=api.coursedir, parent=api)
    app.force = True
    _checked(capture_log(app), "generate_solution")


#: The settings nbgrader (and so the formgrader) reads in a grading folder: the course's own, with
#: that folder as the course root.
FOLDER_CONFIG = '''"""nbgrader settings of this grading folder (written by `python -m autograder grade`): the
course's own, with this folder as the course root. Start JupyterLab here to grade by hand in
the formgrader."""

from pathlib import Path

load_subconfig({course_config!r})
c.CourseDirectory.root = str(Path(__file__).resolve().parent)
'''


def write_folder_config(root: Path) -> Path:
    """``nbgrader_config.py`` in the grading folder ``root`` (see :data:`FOLDER_CONFIG`), unless it
    is the course itself."""
    path = root / "nbgrader_config.py"
    if root.resolve() != COURSE_ROOT:
        path.write_text(FOLDER_CONFIG.format(course_config=str(COURSE_ROOT / "nbgrader_config.py")))
    return path


def due_date(root: Path, assignment: str) -> datetime | None:
    """The assignment's due date in the gradebook of the course at ``root`` (None: none is set)."""
    with Gradebook(gradebook_url(root)) as gradebook:
        try:
            return gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def set_due_date(root: Path, assignment: str, due: datetime | None) -> None:
    """Set the assignment's due date in the gradebook of the course at ``root`` (nbgrader measures a
    submission's lateness from it; None leaves what is there)."""
    if due is not None:
        with Gradebook(gradebook_url(root)) as gradebook:
            gradebook.update_or_create_assignment(assignment, duedate=due)


def copy_course(root: Path) -> None:
    """Put the course's source/ under ``root``, ready for nbgrader commands there."""
    shutil.copytree(COURSE_ROOT / "source", root / "source", dirs_exist_ok=True)
    create_gradebook(root / "gradebook.db")


def create_gradebook(path: Path) -> None:
    """An empty nbgrader gradebook at ``path`` (kept if it exists), made as nbgrader makes one.

    nbgrader creates the tables and stamps the database with its newest alembic revision,
    which it finds by running the ``alembic`` command in a subprocess: about 3 s on every new
    course. The revision is read here in-process from nbgrader's own migration scripts.
    """
    if path.exists():
        return
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(bind=engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        connection.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
            {"head": ScriptDirectory(ALEMBIC_DIR).get_current_head()},
        )
    engine.dispose()

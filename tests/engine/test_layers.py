"""The engine's layers, as its folders show them: each module imports only from its own folder and
the layers below (``autograder/__init__.py`` names them), and importing the package changes
nothing in the process."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "autograder"
#: Each part of the engine and its layer: a module may import from its own layer and those below.
LAYERS = {
    "commands": 5,
    "gradescope": 5,
    "batch": 4,
    "reports": 4,
    "steps": 3,
    "course": 3,
    "grading": 2,
    "assignments": 2,
    "sandbox": 1,
    "patches": 0,
}


def part(dotted: str) -> str:
    """The part of the engine a module of ``autograder`` belongs to (its first name below it)."""
    return dotted.split(".")[1]


def engine_modules() -> dict[str, Path]:
    """Every module of the engine by dotted name, without the assignments' sample submissions."""
    modules = {}
    for path in ENGINE.rglob("*.py"):
        relative = path.relative_to(ENGINE.parent).with_suffix("")
        if "samples" in relative.parts:
            continue
        modules[".".join(relative.parts).removesuffix(".__init__")] = path
    return modules


def imported(path: Path) -> set[str]:
    """The ``autograder`` modules a file imports, at its top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("autograder."):
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.module == "autograder":
            names |= {f"autograder.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.startswith("autograder.")}
    return names


def test_every_part_of_the_engine_has_a_layer() -> None:
    parts = {part(name) for name in engine_modules() if name.count(".") >= 1}
    assert parts - {"__main__"} == set(LAYERS)


@pytest.mark.parametrize("module", sorted(name for name in engine_modules() if "." in name and "__main__" not in name))
def test_no_module_imports_from_a_layer_above_its_own(module: str) -> None:
    above = {target for target in imported(engine_modules()[module]) if LAYERS[part(target)] > LAYERS[part(module)]}
    assert not above, f"{module} (layer {LAYERS[part(module)]}) imports from above: {sorted(above)}"


def test_every_module_and_folder_of_the_engine_says_what_it_holds() -> None:
    silent = [name for name, path in engine_modules().items() if not ast.get_docstring(ast.parse(path.read_text()))]
    assert not silent


def test_importing_the_engine_changes_nothing_in_the_process() -> None:
    """No import-time side effects: the start-up changes come from :func:`autograder.patches.apply`."""
    code = (
        "import os, sys; path = os.environ['PATH']; import autograder, autograder.patches, autograder.steps.trusted;"
        " print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None, os.environ['PATH'] == path)"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ENGINE.parent)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.split() == ["False", "True"]

"""Each change of :mod:`autograder.patches` relies on behaviour of the pinned nbgrader, Jupyter and
standard library that is not their public API: these tests fail when that behaviour changes (a
new version in ``requirements.txt``), before the change silently stops working or does harm."""

from __future__ import annotations

import importlib
import inspect
import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import nbgrader
import nbgrader.api
import pytest
from nbgrader.nbgraderformat import common
from nbgrader.preprocessors import CheckCellMetadata

from autograder import patches
from autograder.grading.notebooks import read
from autograder.patches import daemon_children, metadata_check, startup
from tests.conftest import SHEET12


def _formats(schema: object) -> set[str]:
    """Every ``format`` a JSON schema asks a validator to check."""
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*(_formats(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_formats(value) for value in schema))
    return set()


def test_no_schema_the_course_validates_asks_for_an_iri_check() -> None:
    """Going without the RFC 3987 grammar changes no verdict only while no schema asks for "iri"."""
    schemas = list(Path(nbformat.__file__).parent.glob("v4/nbformat.v4*.schema.json"))
    schemas += list(Path(nbgrader.__file__).parent.glob("nbgraderformat/**/*.json"))
    assert {path.parent.name for path in schemas} == {"v4", "nbgraderformat"}
    asked = set().union(*(_formats(json.loads(path.read_text())) for path in schemas))
    assert not asked & {"iri", "iri-reference"}


def _imported_after_jsonschema(before: str) -> bool:
    code = f"import sys; {before}; import jsonschema; print(isinstance(sys.modules.get('rfc3987_syntax'), type(sys)))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "True\n"


def test_jsonschema_loads_the_rfc3987_grammar_at_import_unless_it_is_skipped() -> None:
    """What the skip saves: jsonschema imports the grammar when it is installed, and not after the skip."""
    assert importlib.util.find_spec(startup.RFC3987_GRAMMAR) is not None, "rfc3987-syntax is no longer installed"
    assert _imported_after_jsonschema("pass")
    assert not _imported_after_jsonschema("from autograder.patches import startup; startup.skip_rfc3987_grammar()")


def test_nbgrader_makes_a_gradebook_by_running_alembic_by_name() -> None:
    """Why the scripts go on PATH: nbgrader runs the command ``alembic``, found on PATH."""
    source = inspect.getsource(nbgrader.api.get_alembic_version)
    assert "['alembic'," in source.replace('"', "'")


def test_the_scripts_of_this_python_are_on_path_after_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    patches.apply()
    scripts = os.path.dirname(sys.executable)
    assert os.environ["PATH"].split(os.pathsep)[0] == scripts
    assert Path(scripts, "alembic").is_file()


def test_nbgrader_opens_its_gradebook_through_the_create_engine_name_of_its_api_module() -> None:
    """The one seam of :mod:`autograder.patches.gradebook_engine` (its own tests show the sharing)."""
    assert "create_engine(" in inspect.getsource(nbgrader.api.Gradebook.__init__)
    assert "create_engine" in vars(nbgrader.api)


def test_nbgraders_metadata_check_validates_through_its_modules_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seam of :mod:`autograder.patches.metadata_check`: every graded cell's metadata goes
    through the compiled validator, not past it (the verdicts alone would not show that)."""
    calls = []
    monkeypatch.setattr(metadata_check, "validate", lambda *args: calls.append(args))
    notebook = read(SHEET12.release_notebook)
    metadata_check.CheckCellMetadataOnce().preprocess(notebook, {})
    graded = [cell for cell in notebook.cells if "nbgrader" in cell.metadata]
    assert len(calls) >= len(graded) > 0
    assert common.jsonschema.validate is not metadata_check.validate  # put back afterwards
    assert issubclass(metadata_check.CheckCellMetadataOnce, CheckCellMetadata)


def _start_a_child(allowed: bool) -> str:
    try:
        if allowed:
            with daemon_children.children_allowed():
                child = multiprocessing.get_context("spawn").Process(target=int, daemon=True)
                child.start()
        else:
            child = multiprocessing.get_context("spawn").Process(target=int, daemon=True)
            child.start()
        child.join()
        return "started"
    except AssertionError as error:
        return f"refused: {error}"


def _in_a_daemon(allowed: bool, results: multiprocessing.Queue) -> None:
    results.put(_start_a_child(allowed))


@pytest.mark.parametrize("allowed", [False, True])
def test_multiprocessing_refuses_children_to_a_daemon_unless_they_are_allowed(allowed: bool) -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    daemon = context.Process(target=_in_a_daemon, args=(allowed, results), daemon=True)
    daemon.start()
    outcome = results.get(timeout=60)
    daemon.join()
    assert outcome == ("started" if allowed else "refused: daemonic processes are not allowed to have children")


@pytest.mark.parametrize("base, hook, caller, _", patches.KERNEL_HOOKS, ids=[hook[1] for hook in patches.KERNEL_HOOKS])
def test_jupyter_client_still_calls_each_hook_the_sandbox_overrides(base: str, hook: str, caller: str, _: str) -> None:
    module, _, name = base.partition(":")
    cls = getattr(importlib.import_module(module), name)
    assert callable(getattr(cls, hook))
    if hook.endswith("_default"):  # a traitlets default: the trait it makes must exist
        assert caller in cls.class_traits()
        return
    called = getattr(cls, caller)  # the public method is the hook itself, or calls it
    assert called is getattr(cls, hook) or f".{hook}(" in inspect.getsource(called)


def test_every_overridden_private_kernel_method_is_listed() -> None:
    """A new override of jupyter_client's private methods in the sandbox must be listed (and so tested)."""
    from autograder.sandbox.client import BoundedKernelClient, TolerantChannel
    from autograder.sandbox.jail import JailedKernelManager

    listed = {(base.rpartition(":")[2], hook) for base, hook, _, _ in patches.KERNEL_HOOKS}
    found = set()
    for cls in (JailedKernelManager, BoundedKernelClient, TolerantChannel):
        base = cls.__mro__[1]
        for name, value in vars(cls).items():
            if name.startswith("_") and not name.startswith("__") and callable(value) and hasattr(base, name):
                found.add((base.__name__, name))
    assert found == listed


def test_a_kernel_launch_is_the_provisioners_launch_then_the_connection_info_and_uses_a_process_as_forked_kernels_do():
    """A warm kernel is launched in the jail manager's ``_async_launch_kernel`` without the
    provisioner's ``launch_kernel``: it sets the provisioner's process (a
    :class:`~autograder.sandbox.warm.ForkedKernel`) and reconciles the connection info as the base
    method does, and the provisioner uses of that process only what a ForkedKernel has."""
    import ast

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    from autograder.sandbox.warm import ForkedKernel

    launch = ast.parse(inspect.getsource(AsyncKernelManager._async_launch_kernel).strip())
    called = {node.func.attr for node in ast.walk(launch) if isinstance(node, ast.Call) and hasattr(node.func, "attr")}
    assert called == {"launch_kernel", "_reconcile_connection_info"}
    provisioner = ast.parse(inspect.getsource(LocalProvisioner))
    used = {
        node.attr
        for node in ast.walk(provisioner)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "process"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "self"
    }
    forked = ForkedKernel(None, 0, Path("exit-code"))  # type: ignore[arg-type]
    assert used - {"win32_interrupt_event"} <= {name for name in dir(forked) if not name.startswith("__")}
    assert {"poll", "wait", "kill", "send_signal", "pid"} <= used

"""What the course changes in nbgrader, Jupyter and the standard library, in one place.

Each change depends on behaviour of the pinned versions (``requirements.txt``) that is not their
public API; ``tests/engine/patches/test_pinned_behaviour.py`` fails when that behaviour changes.
Nothing here acts when it is imported: a process that grades calls :func:`apply` at its start
(``python -m autograder`` and ``nbgrader_config.py`` do), and the other changes act only where
they are used.

* **No RFC 3987 grammar** (:mod:`.startup`): jsonschema compiles it at import for a check that
  nobody asks for; 1.5 s per grading process.
* **Scripts on PATH** (:mod:`.startup`): nbgrader runs ``alembic`` by name; without it no new
  gradebook is made from ``.venv/bin/python``.
* **One engine per gradebook** (:mod:`.gradebook_engine`): wraps ``nbgrader.api.create_engine``;
  eleven SQLAlchemy engines per submission became one.
* **Schema compiled once** (:mod:`.metadata_check`): ``CheckCellMetadata``'s ``jsonschema``
  swapped while it runs; a third of nbgrader's own CPU time per submission.
* **Children of a daemon** (:mod:`.daemon_children`): the stand-in helper of a Dask worker, through
  multiprocessing's private ``_config``.
* **Kernel hooks** (:data:`KERNEL_HOOKS`): jupyter_client's private steps of starting, waiting for
  and stopping a kernel, overridden by the jail's kernel manager and the bounded client
  (:mod:`autograder.sandbox`).

The kernel hooks stay in the classes that override them (a subclass's method, not a change of
jupyter_client's own modules); :data:`KERNEL_HOOKS` lists them, so that the test can check that
the pinned jupyter_client still calls each one.
"""

from __future__ import annotations

from autograder.patches import startup

#: jupyter_client's private methods that the sandbox's subclasses override: (base class, method,
#: the public method of the base class that calls it, what the override does).
KERNEL_HOOKS = (
    (
        "jupyter_client.manager:AsyncKernelManager",
        "_async_pre_start_kernel",
        "_async_start_kernel",
        "refuses to start without the jail's tools; makes the jail",
    ),
    (
        "jupyter_client.manager:AsyncKernelManager",
        "_async_launch_kernel",
        "_async_start_kernel",
        "starts the kernel's command inside bubblewrap, with the jail's environment, or forks it from the warm"
        " template and then does what jupyter_client's own launch does after its provisioner started a"
        " process (sets the provisioner's process, pid and pgid; _reconcile_connection_info)",
    ),
    (
        "jupyter_client.manager:AsyncKernelManager",
        "_async_wait",
        "_async_finish_shutdown",
        "looks for the killed kernel's end every 10 ms instead of 100 ms",
    ),
    (
        "jupyter_client.manager:AsyncKernelManager",
        "_async_cleanup_resources",
        "_async_shutdown_kernel",
        "removes the jail with the kernel",
    ),
    (
        "jupyter_client.asynchronous.client:AsyncKernelClient",
        "_async_wait_for_ready",
        "wait_for_ready",
        "ready at the kernel_info reply and its idle status, without 0.2 s of silence",
    ),
    (
        "jupyter_client.asynchronous.client:AsyncKernelClient",
        "_context_default",
        "context",
        "a context of the client's own, so that its size limits are its own",
    ),
    (
        "jupyter_client.channels:AsyncZMQSocketChannel",
        "_recv",
        "get_msg",
        "a malformed message from the kernel is dropped instead of raising",
    ),
)


def apply() -> None:
    """The changes a grading process makes at its start, before it imports nbgrader."""
    startup.skip_rfc3987_grammar()
    startup.scripts_on_path()

"""What ``python -m autograder`` runs: :mod:`.cli` reads the command line, and each command is a
module of its own (``grade``, ``finalize``, ``build``, ``check``, ``new``; ``report`` and
``export`` read and write through :mod:`autograder.reports`)."""

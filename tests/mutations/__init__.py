"""Mutation proof of the guarantee catalogue: each promise broken on purpose in a copy of the project
must make one of its tests fail (``python -m tests.mutations`` prints the table)."""

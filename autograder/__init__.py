"""The instructor's side of sheet 12: reference solutions, hidden checks and grading commands.

This package lives only in the course repository. It is never copied into release/,
and a kernel started in a student's copy of the assignment cannot import it.
"""

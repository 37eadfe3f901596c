"""Tests of the jail students' kernels run in (:mod:`autograder.sandbox.jail`, :mod:`autograder.sandbox.cgroup`)."""

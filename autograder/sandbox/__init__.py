"""Running submitted code where it cannot reach the course: the jail, the kernel in it, and
the wire format of the plain data that crosses between the jail and the grader."""

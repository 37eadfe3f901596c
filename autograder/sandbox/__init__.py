"""Running submitted code where it cannot reach the course: the jail, the kernel in it (started
cold, or forked from a warm jailed template), and the wire format of the plain data that crosses
between the jail and the grader."""

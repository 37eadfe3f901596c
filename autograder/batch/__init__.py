"""A class at a time: its submissions found and named (:mod:`.submissions`, :mod:`.archive`,
:mod:`.uploads`), each student graded as :mod:`.one_student` says, by local worker processes
(:mod:`.pool`) or on a Dask cluster (:mod:`.cluster`), one writer to the gradebook."""

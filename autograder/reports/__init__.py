"""What a grading tells people: scores per student and part (:mod:`.scores`), the class report and
page for the instructor (:mod:`.class_report`, :mod:`.class_page`), the feedback page for each
student (:mod:`.feedback`) and the grades in the LMS's own file (:mod:`.lms_export`)."""

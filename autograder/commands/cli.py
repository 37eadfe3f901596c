"""Command line: ``python -m autograder {grade,report,finalize,export,new,build,check,gradescope}``.

Every command works on one assignment of the course (``--assignment ID``, or ``build ID``);
while the course has a single assignment, the id may be left out (``build`` without an id
builds every assignment).

Exit status: 0 when everything asked for was done; 1 when some submissions could not be
graded (they are listed, the rest is graded); 2 when nothing could be done (an unknown
assignment, a missing folder, no submission in it, a failing nbgrader step).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from nbgrader.utils import parse_utc

from autograder import assignments
from autograder.batch.submissions import NoSubmissions
from autograder.commands.build import build
from autograder.commands.check import check_samples
from autograder.commands.check import summary as sample_summary
from autograder.commands.finalize import finalize
from autograder.commands.finalize import summary as finalize_summary
from autograder.commands.grade import DEFAULT_JOBS, grade_folder, summary
from autograder.commands.new import scaffold
from autograder.course import NbgraderError
from autograder.gradescope.bundle import build_bundle
from autograder.gradescope.run import GRADESCOPE_ROOT, grade_submission, prepare, write_results
from autograder.grading.assignment import AssignmentError
from autograder.grading.notebooks import COURSE_ROOT
from autograder.reports.lms_export import PLATFORMS, LmsFileError, export_grades
from autograder.reports.scores import read_class


def due_date(text: str) -> datetime:
    """A due date as nbgrader reads one (a time without a zone is UTC)."""
    try:
        return parse_utc(text)
    except (ValueError, OverflowError) as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time nbgrader can read ({error})") from None


ASSIGNMENT_HELP = "the assignment's id (default: the course's only assignment)"


def main(argv: list[str] | None = None) -> int:
    """Run one verb; the exit status is 0 when everything asked for was done."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)
    grade = verbs.add_parser("grade", help="autograde submissions with nbgrader and print a score table")
    grade.add_argument("--assignment", help=ASSIGNMENT_HELP)
    grade.add_argument(
        "submissions",
        nargs="?",
        type=Path,
        help="folder or zip of <student>.ipynb files, of an nbgrader submitted/ tree or a Moodle or Canvas download"
        " (default: the bundled samples)",
    )
    grade.add_argument(
        "--workdir", type=Path, help="course folder to grade in (default: a new temp folder; an earlier one resumes)"
    )
    grade.add_argument(
        "--jobs", type=int, default=DEFAULT_JOBS, help=f"students graded at once (default: {DEFAULT_JOBS}, cores + 1)"
    )
    grade.add_argument(
        "--due",
        type=due_date,
        metavar="DATE",
        help="the assignment's due date, e.g. '2026-12-01 17:00 UTC' or '2026-12-01T17:00+01:00' (kept in the"
        " gradebook: nbgrader measures each submission's time, an nbgrader tree's timestamp.txt, against it)",
    )
    grade.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), one task per student;"
        " every worker needs this course and bubblewrap (see the README)",
    )
    report_verb = verbs.add_parser(
        "report", help="write the class report (class_report.html, .md, grades.csv) again from a course's gradebook"
    )
    report_verb.add_argument("--assignment", help=ASSIGNMENT_HELP)
    report_verb.add_argument("--workdir", type=Path, required=True, help="the course folder a grade run wrote")
    report_verb.add_argument(
        "--compare", type=Path, metavar="OTHER_WORKDIR", help="another run's course folder to show beside this one"
    )
    final = verbs.add_parser(
        "finalize",
        help="after grading by hand: write the feedback pages, class report and grades.csv again from the gradebook"
        " (final totals), and release the feedback through nbgrader's exchange when the assignment went out there",
    )
    final.add_argument("--assignment", help=ASSIGNMENT_HELP)
    final.add_argument("--workdir", type=Path, required=True, help="the course folder a grade run wrote")
    final.add_argument(
        "--exchange", type=Path, help="nbgrader's exchange folder (default: the course's Exchange.root setting)"
    )
    export = verbs.add_parser(
        "export", help="fill in the LMS's grading file (Moodle's grading worksheet, Canvas's gradebook export)"
    )
    export.add_argument("lms", choices=PLATFORMS, help="the LMS the file comes from")
    export.add_argument(
        "lms_file",
        type=Path,
        help="the file the LMS gave you: Moodle's 'Download grading worksheet', Canvas's Grades > Export",
    )
    export.add_argument("--assignment", help=ASSIGNMENT_HELP)
    export.add_argument("--workdir", type=Path, required=True, help="the course folder a grade run wrote")
    export.add_argument("--column", default="", help="Canvas: the assignment's column, its title or id")
    export.add_argument(
        "--provisional",
        action="store_true",
        help="also give students with a written answer not graded yet their points so far (marked provisional)",
    )
    check = verbs.add_parser(
        "check", help="grade every sample submission of an assignment and compare it with its EXPECTED"
    )
    check.add_argument("--assignment", help=ASSIGNMENT_HELP)
    new = verbs.add_parser("new", help="start a new assignment: its notebook, declaration, check and samples")
    new.add_argument("assignment", help="the new assignment's id (lower-case letters, digits, _)")
    new.add_argument("--title", default="", help="the title students see (default: from the id)")
    build_verb = verbs.add_parser("build", help="regenerate release/ and solutions/ from source/ with nbgrader")
    build_verb.add_argument("assignment", nargs="?", help="the assignment's id (default: every assignment)")
    gradescope = verbs.add_parser("gradescope", help="the Gradescope autograder: build its zip, or grade in it")
    steps = gradescope.add_subparsers(dest="step", required=True)
    bundle = steps.add_parser("bundle", help="write the autograder zip to upload to Gradescope")
    bundle.add_argument("--assignment", help=ASSIGNMENT_HELP)
    bundle.add_argument("--out", type=Path, default=Path("gradescope-autograder.zip"), help="zip to write")
    prepared = steps.add_parser("prepare", help="generate the assignment once, in the image (setup.sh calls this)")
    prepared.add_argument("--assignment", help="the assignment's id (default: the bundle's only assignment)")
    run = steps.add_parser("run", help="grade the submission in a Gradescope container (run_autograder calls this)")
    run.add_argument("--assignment", help="the assignment's id (default: the bundle's only assignment)")
    run.add_argument("--root", type=Path, default=GRADESCOPE_ROOT, help="Gradescope's folder (default: /autograder)")
    run.add_argument(
        "--isolation",
        choices=("namespaces", "user"),
        help="how to jail the student's kernel (default: namespaces when the container allows them, else user)",
    )
    args = parser.parse_args(argv)

    try:
        if args.verb == "gradescope" and args.step == "prepare":
            print(f"prepared {prepare(args.assignment)}")
            return 0
        if args.verb == "gradescope" and args.step == "run":
            results = grade_submission(args.root, args.isolation, args.assignment)
            print(f"wrote {write_results(args.root, results)}")
            return 0
        if args.verb == "new":
            for path in scaffold(args.assignment, args.title):
                print(f"wrote {path.relative_to(COURSE_ROOT)}")
            print(f"next: python -m autograder build {args.assignment}; python -m autograder check --assignment"
                  f" {args.assignment}; then make double(x) your sheet's functions (docs/assignments.md)")  # fmt: skip
            return 0
        if args.verb == "build":
            ids = [assignments.load(args.assignment).id] if args.assignment else assignments.available()
            for assignment_id in ids:
                for path in build(assignment_id):
                    print(f"wrote {path}")
            return 0
        assignment = assignments.resolve(args.assignment)
        if args.verb == "check":
            found = check_samples(assignment, jobs=DEFAULT_JOBS)
            print(sample_summary(found))
            return 1 if any(found.values()) else 0
        if args.verb == "report":
            other = (read_class(args.compare, assignment), args.compare) if args.compare else None
            from autograder.reports.class_report import write_class_report  # Matplotlib: imported where it draws

            write_class_report(read_class(args.workdir, assignment), assignment, args.workdir, other)
            print(f"wrote {args.workdir / 'class_report.html'}, class_report.md and grades.csv")
            return 0
        if args.verb == "finalize":
            done = finalize(args.workdir, assignment, args.exchange)
            print(finalize_summary(done, args.workdir, assignment))
            return 0 if done.complete else 1
        if args.verb == "export":
            done = export_grades(args.lms, args.workdir, assignment, args.lms_file, args.column, args.provisional)
            print(f"wrote {done.path}: {args.lms_file} with the grades of {len(done.exported)} student(s) filled in")
            print("".join(f"  left out {student}: {reason}\n" for student, reason in done.left_out.items()), end="")
            print("".join(f"  note: {note}\n" for note in done.notes), end="")
            return 1 if done.left_out else 0
        if args.verb == "gradescope":
            bundle_path = build_bundle(args.out, assignment.id)
            print(f"wrote {bundle_path}; upload it as the {assignment.id} autograder (Ubuntu 24.04 image)")
            return 0
        run = grade_folder(
            assignment, args.submissions, args.workdir, jobs=args.jobs, scheduler=args.scheduler, due=args.due
        )
    except (
        FileNotFoundError,
        NotADirectoryError,
        NoSubmissions,
        NbgraderError,
        AssignmentError,
        LmsFileError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary(run))
    return 1 if run.rejected or run.failed else 0

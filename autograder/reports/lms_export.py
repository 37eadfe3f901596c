"""Grades back into the LMS: the grading file the LMS gave the instructor, filled in from a course's gradebook.

The export never makes up an LMS file: it fills in the one the platform wrote, keeping its
headers, language, identifiers, every other column and every other student's row as they are, so
that the platform's own importer reads it as it reads its own download.

* **Moodle**, the assignment's "Offline grading worksheet" (feedback type "Offline grading
  worksheet" on; Grading action "Download grading worksheet", then "Upload grading worksheet").
  Moodle writes and reads its headers in the user's language (``mod/assign/gradingtable.php``;
  the importer ``mod/assign/feedback/offline/importgradeslib.php`` matches ``recordid``,
  ``gradenoun`` and ``lastmodifiedgrade`` exactly): English and German are known
  (:data:`MOODLE_WORDS`). The ``Grade`` cell gets the student's final total scaled to the
  worksheet's ``Maximum grade`` (Moodle skips a grade above it) with the language's decimal
  separator; ``Feedback comments`` keeps what is there (Moodle's importer replaces a comment that
  differs, so a blank cell would erase a TA's comment) and gets a short summary added: the
  autograded and hand-graded points and the formgrader's comments. ``Last modified (grade)`` is
  kept: Moodle skips a row whose grade changed in Moodle since the download.
* **Canvas**, the gradebook export (Grades, Export; then Import): headers are English whatever the
  language (``lib/gradebook_exporter.rb``). The assignment's column (``Title (id)``) gets the final
  total scaled to its ``Points Possible``; nothing else changes, and no column is added (Canvas's
  importer, ``app/models/gradebook_importer.rb``, makes a new assignment of a column it does not
  know). Canvas's gradebook import carries no comments.

A student with a written answer not graded yet keeps their row as the LMS wrote it and is listed;
with ``provisional`` they get the points so far, and the Moodle comment says it is provisional.
Students of the gradebook who are not in the file are listed, and so are the file's students that
this course folder did not grade (their rows are kept).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.assignment import Assignment
from autograder.reports.scores import StudentScores, read_class

PLATFORMS = ("moodle", "canvas")
#: What the summary added to a Moodle comment begins with (it is found again, not added twice).
SUMMARY_START = "Autograded:"
BOM = "\ufeff"


class LmsFileError(ValueError):
    """A file that is not the LMS's grading file (the message names it and says what to give)."""


@dataclass
class Export:
    """The filled-in file, the students whose grade was written, and those left as they were."""

    path: Path
    exported: list[str] = field(default_factory=list)
    #: Students of the gradebook whose grade was not written, and why.
    left_out: dict[str, str] = field(default_factory=dict)
    #: What the instructor should know when uploading the file.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MoodleWords:
    """The worksheet's words in one language, as Moodle's language pack has them."""

    identifier: str
    participant: str
    grade: str
    maximum: tuple[str, ...]
    comments: str
    decimal: str
    #: Said when the file is in this language (empty: nothing to say).
    upload_note: str = ""


#: English (Moodle's lang/en) and German (the de language pack, Moodle 4.1 to 4.5). ``maximum``:
#: Moodle 4.1's English string is defined twice, and the second one, "Maximum Grade", wins.
MOODLE_WORDS = {
    "en": MoodleWords(
        "Identifier", "Participant ", "Grade", ("Maximum grade", "Maximum Grade"), "Feedback comments", "."
    ),
    "de": MoodleWords(
        "ID",
        "Teilnehmer/in",
        "Bewertung",
        ("Bestwertung",),
        "Feedback als Kommentar",
        ",",
        "Moodle reads a German worksheet's dates ('Zuletzt geändert (Bewertung)') as unknown and skips the rows"
        " of students who already have a grade, unless 'Update von Datensätzen zulassen, die seit dem letzten"
        " Upload angepasst wurden' is ticked on upload",
    ),
}


def grade_of(scores: StudentScores, provisional: bool = False) -> float | str:
    """The student's final total, or why there is none yet (``provisional``: the points so far)."""
    if scores.error:
        return f"not graded ({scores.error})"
    if scores.final_total is not None:
        return scores.final_total
    if provisional:
        return sum(scores.final_by_cell.values()) - scores.late_penalty
    return "a written answer is not graded yet: grade it in the formgrader, then export again (or --provisional)"


def summary_comment(scores: StudentScores) -> str:
    """A short account of the grade for the LMS's comment: the points autograded and by hand, a late
    penalty, and the formgrader's comments on the written answers (as text Moodle stores as HTML)."""
    assignment = scores.assignment
    maxima = assignment.points_by_part().values()
    auto_max, hand_max = sum(part["auto"] for part in maxima), sum(part["manual"] for part in maxima)
    parts = [f"{SUMMARY_START} {scores.total:g} / {auto_max:g}"]
    if hand_max:
        parts.append(f"by hand: {scores.by_hand} / {hand_max:g}")
    if scores.late_penalty:
        parts.append(f"late: -{scores.late_penalty:g}")
    if scores.pending:
        parts.append("provisional: a written answer is not graded yet")
    comments = [
        f"{assignment.title(assignment.part_of(grade_id))}: {_sentence(text)}"
        for grade_id, text in scores.comments.items()
        if text and text.strip()
    ]
    return html.escape(" ".join([_sentence("; ".join(parts)), *comments]), quote=False)


def _sentence(text: str) -> str:
    """``text`` stripped, ending in a full stop unless it ends in a sentence's mark already."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _number(text: str, decimal: str) -> float | None:
    try:
        return float(text.strip().replace(decimal, "."))
    except ValueError:
        return None


def _formatted(value: float, decimal: str) -> str:
    return f"{value:.2f}".replace(".", decimal)


def read_table(path: Path) -> tuple[list[list[str]], str, bool]:
    """The rows of an LMS's CSV file, its delimiter, and whether it starts with a byte order mark."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LmsFileError(f"{path}: not UTF-8 text; give the CSV file the LMS wrote, as downloaded") from None
    except OSError as error:
        raise LmsFileError(f"{path}: cannot be read ({error.strerror}); give the LMS's grading file") from None
    bom = text.startswith(BOM)
    first = text.removeprefix(BOM).split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline=""), delimiter=delimiter))
    if not rows:
        raise LmsFileError(f"{path}: empty; give the LMS's grading file")
    return rows, delimiter, bom


def write_table(path: Path, rows: list[list[str]], delimiter: str, bom: bool) -> None:
    """Write rows as the LMS wrote its file (its delimiter, its byte order mark, LF line ends)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text((BOM if bom else "") + out.getvalue(), encoding="utf-8")


def moodle_language(header: list[str], path: Path) -> tuple[MoodleWords, dict[str, int]]:
    """The worksheet's language and the columns the export writes (identifier, grade, maximum, comments)."""
    for words in MOODLE_WORDS.values():
        if words.identifier in header and words.grade in header:
            columns = {"identifier": header.index(words.identifier), "grade": header.index(words.grade)}
            maximum = [header.index(name) for name in words.maximum if name in header]
            if not maximum:
                raise LmsFileError(
                    f"{path}: no '{words.maximum[0]}' column: the assignment is graded on a scale or not at all;"
                    " set its grade type to Point and download the worksheet again"
                )
            columns["maximum"] = maximum[0]
            if words.comments in header:
                columns["comments"] = header.index(words.comments)
            return words, columns
    known = ", ".join(f"'{words.identifier}' and '{words.grade}'" for words in MOODLE_WORDS.values())
    raise LmsFileError(
        f"{path}: not a Moodle grading worksheet in a known language (no columns {known}); download it with"
        " 'Download grading worksheet' (feedback type 'Offline grading worksheet' on), in English or German"
    )


def fill_moodle(
    path: Path, scores: Mapping[str, StudentScores], maximum: float, out: Path, provisional: bool = False
) -> Export:
    """Fill in the Moodle worksheet at ``path`` (grades out of ``maximum``) and write it to ``out``."""
    rows, delimiter, bom = read_table(path)
    header, export = rows[0], Export(out)
    words, columns = moodle_language(header, path)
    if "comments" not in columns:
        export.notes.append(f"no '{words.comments}' column (feedback comments off in Moodle): grades only")
    export.notes += [words.upload_note] if words.upload_note else []
    seen = set()
    for row in rows[1:]:
        if len(row) != len(header):
            continue  # Moodle's importer refuses such a file; it is the LMS's to fix, not ours to guess
        participant = row[columns["identifier"]].removeprefix(words.participant).strip()
        student = f"moodle-{participant}"
        if student not in scores:
            continue
        seen.add(student)
        result = scores[student]
        grade = grade_of(result, provisional)
        lms_maximum = _number(row[columns["maximum"]], words.decimal)
        if isinstance(grade, str):
            export.left_out[student] = grade
            continue
        if not lms_maximum:
            export.left_out[student] = f"the worksheet's maximum grade '{row[columns['maximum']]}' is not a number"
            continue
        row[columns["grade"]] = _formatted(max(0.0, grade) * lms_maximum / maximum, words.decimal)
        if "comments" in columns:
            row[columns["comments"]] = _with_summary(row[columns["comments"]], summary_comment(result))
        export.exported.append(student)
    _not_in_file(scores, seen, "moodle", export)
    write_table(out, rows, delimiter, bom)
    return export


def _with_summary(existing: str, summary: str) -> str:
    """A comment cell with the summary: what was there is kept, an earlier summary replaced."""
    kept = existing[: existing.find(SUMMARY_START)] if SUMMARY_START in existing else existing
    kept = kept.rstrip()
    return f"{kept} {summary}" if kept else summary


def _not_in_file(scores: Mapping[str, StudentScores], seen: set[str], lms: str, export: Export) -> None:
    """List the students of the gradebook whose row the file does not have, and why."""
    file = "the worksheet" if lms == "moodle" else "the export"
    for student, result in sorted(scores.items()):
        if student in seen or student in export.left_out:
            continue
        if result.error:
            export.left_out[student] = f"not graded ({result.error})"
        elif not student.startswith(f"{lms}-"):
            export.left_out[student] = f"not from a {lms.capitalize()} download (no {lms.capitalize()} id)"
        else:
            export.left_out[student] = f"not in {file}"


#: Canvas's computed columns, which its importer strips (``gradebook_importer.rb``).
CANVAS_TOTALS = re.compile(
    "Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|Override Score"
    "|Override Grade|Override Status"
)
CANVAS_TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z")


def canvas_column(header: list[str], column: str, path: Path) -> int:
    """The index of the assignment's column: ``column`` as its title, id or whole header, or the only
    assignment column of the export."""
    if "Section" not in header:
        raise LmsFileError(f"{path}: not a Canvas gradebook export (no 'Section' column); use Grades, Export")
    candidates = [
        index
        for index, name in enumerate(header[header.index("Section") + 1 :], header.index("Section") + 1)
        if CANVAS_TITLE_AND_ID.match(name) and not CANVAS_TOTALS.search(name)
    ]
    if column:
        for index in candidates:
            title, assignment_id = CANVAS_TITLE_AND_ID.match(header[index]).groups()
            if column in (header[index], title, assignment_id):
                return index
        raise LmsFileError(f"{path}: no assignment column '{column}'; its columns: {_names(header, candidates)}")
    if len(candidates) != 1:
        raise LmsFileError(
            f"{path}: {len(candidates)} assignment columns; name the one to fill with --column (title or id):"
            f" {_names(header, candidates)}"
        )
    return candidates[0]


def _names(header: list[str], indexes: list[int]) -> str:
    return ", ".join(f"'{header[index]}'" for index in indexes) or "none"


def fill_canvas(
    path: Path,
    scores: Mapping[str, StudentScores],
    maximum: float,
    out: Path,
    column: str = "",
    provisional: bool = False,
) -> Export:
    """Fill in one assignment column of the Canvas gradebook export at ``path`` (grades out of
    ``maximum``) and write it to ``out``."""
    rows, delimiter, bom = read_table(path)
    header, export = rows[0], Export(out)
    target = canvas_column(header, column, path)
    id_column = 2 if header[:2] == ["LastName", "FirstName"] else 1
    possible = next((row for row in rows[1:] if row and row[0].strip() == "Points Possible"), None)
    decimal = "," if possible is not None and "," in possible[target] else "."
    points = _number(possible[target], decimal) if possible is not None else None
    if not points:
        raise LmsFileError(f"{path}: no 'Points Possible' for '{header[target]}'; give the export as Canvas wrote it")
    seen = set()
    for row in rows[1:]:
        if len(row) <= target or not row[id_column].strip().isdigit():
            continue  # Points Possible, Manual Posting and anything that is no student's row
        student = f"canvas-{row[id_column].strip()}"
        if student not in scores:
            continue
        seen.add(student)
        grade = grade_of(scores[student], provisional)
        if isinstance(grade, str):
            export.left_out[student] = grade
            continue
        if row[target].strip().upper() in ("EX", "N/A"):
            export.left_out[student] = f"Canvas has '{row[target]}' (excused or not assigned): kept"
            continue
        row[target] = _formatted(max(0.0, grade) * points / maximum, decimal)
        export.exported.append(student)
    _not_in_file(scores, seen, "canvas", export)
    write_table(out, rows, delimiter, bom)
    return export


def export_grades(
    platform: str,
    workdir: Path,
    assignment: Assignment,
    source: Path,
    column: str = "",
    provisional: bool = False,
) -> Export:
    """Fill in the LMS's grading file ``source`` from the gradebook of the course folder ``workdir``
    and write it as ``<workdir>/<platform>_grades.csv`` (``column``: Canvas's assignment column;
    ``provisional``: students with a written answer pending get the points so far)."""
    scores = read_class(workdir, assignment)
    maximum = sum(part["auto"] + part["manual"] for part in assignment.points_by_part().values())
    out = workdir / f"{platform}_grades.csv"
    if platform == "moodle":
        return fill_moodle(source, scores, maximum, out, provisional)
    if platform == "canvas":
        return fill_canvas(source, scores, maximum, out, column, provisional)
    raise ValueError(f"unknown LMS {platform!r}; choose one of {', '.join(PLATFORMS)}")

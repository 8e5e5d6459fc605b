"""Grades for the places they go next: a plain sheet, Canvas's gradebook import, Moodle's.

Every cell passes through text.csv_cell, so an id or name that starts like a formula is
shown as text, never run. Files are UTF-8 with a byte-order mark (Excel on Korean
Windows opens them with names intact).

The roster is the instructor's CSV, one row per student, with a header; only `student`
(the id the grader uses: the cleaned file or folder name) is required. Canvas reads
`name`, `canvas_id`, `sis_user_id`, `sis_login_id`, `section`; Moodle `username` and
`idnumber`. Ids match after NFC and case-folding (roster_key); two rows for one student
are refused before grading. A student missing from the roster keeps empty LMS columns,
never a guess, and is reported (roster_mismatches), as is a row that matched nobody.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..messages import say
from ..result import GradingResult
from ..text import csv_cell
from .page import number

ROSTER_COLUMNS = ("student", "name", "canvas_id", "sis_user_id", "sis_login_id", "section",
                  "username", "idnumber")


class RosterError(ValueError):
    """A roster file that cannot be read as documented above."""


def roster_key(student: str) -> str:
    """How a roster's `student` cell is matched to a student id: surrounding spaces and a
    stray byte-order mark dropped, NFC (a roster saved on a Mac spells Korean names in NFD,
    which looks the same and matched nobody) and case-folded (ids are unique regardless of
    case, see submissions/ids.py)."""
    text = unicodedata.normalize("NFC", str(student)).strip().strip("\ufeff").strip()
    return unicodedata.normalize("NFC", text.casefold())


def read_roster(path: Path | None) -> dict[str, dict[str, str]]:
    """Rows by roster_key of their `student` cell. Two rows for one student are refused
    (RosterError, before any grading): one grade would go to whichever came last, and only
    the instructor knows which row is right."""
    if path is None:
        return {}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [_cell(h).lower() for h in reader.fieldnames or []]
    if "student" not in header:
        raise RosterError(f"{path}: the header needs a 'student' column (found {header})")
    roster: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for row in reader:
        clean = {_cell(k).lower(): _cell(v) for k, v in row.items() if isinstance(k, str)}
        key = roster_key(clean.get("student", ""))
        if not key:
            continue
        if key in roster:
            raise RosterError(f"{path}: line {reader.line_num} names student "
                              f"{clean['student']!r} again (first on line {lines[key]}); "
                              "each student needs exactly one row")
        roster[key] = {c: clean.get(c, "") for c in ROSTER_COLUMNS}
        lines[key] = reader.line_num
    return roster


def _cell(value) -> str:
    return unicodedata.normalize("NFC", value if isinstance(value, str) else "").strip().strip("\ufeff").strip()


def roster_entry(roster: dict[str, dict[str, str]], student: str) -> dict[str, str]:
    return roster.get(student) or roster.get(roster_key(student)) or {}


def roster_mismatches(results: list[GradingResult], roster: dict[str, dict[str, str]]
                      ) -> tuple[list[str], list[str]]:
    """(students with a result but no roster row, roster rows with no result): both are
    said out loud, since either one leaves a student's LMS grade empty."""
    if not roster:
        return [], []
    students = {r.student_id for r in results}
    matched = {k for s in students for k in (s, roster_key(s)) if k in roster}
    missing = sorted(s for s in students if not roster_entry(roster, s))
    unused = sorted(entry.get("student") or key for key, entry in roster.items() if key not in matched)
    return missing, unused


def _items(results: list[GradingResult]) -> list[str]:
    items: list[str] = []
    for result in results:
        for i in (result.score.items if result.score else ()):
            if i.item not in items:
                items.append(i.item)
    return items


def _assignments(results: list[GradingResult]) -> list[str]:
    return sorted({r.provenance.assignment_id for r in results if r.provenance.assignment_id})


def _csv(rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


def grades_csv(results: list[GradingResult]) -> str:
    """student, assignment, total, max, then the points of every item."""
    items = _items(results)
    rows: list[list] = [["student", "assignment", "total", "max", *items]]
    for r in results:
        per_item = {i.item: i.points for i in (r.score.items if r.score else ())}
        rows.append([r.student_id, r.provenance.assignment_id or "",
                     r.points if r.graded else "", "" if r.max_points is None else r.max_points,
                     *[per_item.get(i, "") for i in items]])
    return _csv(rows)


def canvas_csv(results: list[GradingResult], roster: dict[str, dict[str, str]]) -> str:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one
    `Name (id)` column per assignment (Canvas matches a column to an assignment by the id in
    parentheses; ours is the assignment id, e.g. "ch04 (ch04)"), and a Points Possible row."""
    assignments = _assignments(results)
    maxima = {a: next((r.max_points for r in results if r.provenance.assignment_id == a
                       and r.max_points is not None), "") for a in assignments}
    rows: list[list] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                         *[f"{a} ({a})" for a in assignments]],
                        ["    Points Possible", "", "", "", "", *[maxima[a] for a in assignments]]]
    for student in sorted({r.student_id for r in results}):
        entry = roster_entry(roster, student)
        scores = {r.provenance.assignment_id: r.points for r in results
                  if r.student_id == student and r.graded}
        rows.append([entry.get("name") or student, entry.get("canvas_id", ""),
                     entry.get("sis_user_id", ""), entry.get("sis_login_id", ""),
                     entry.get("section", ""), *[scores.get(a, "") for a in assignments]])
    return _csv(rows)


def moodle_csv(results: list[GradingResult], roster: dict[str, dict[str, str]],
               lang: str = "ko") -> str:
    """Moodle's grade import: `username` and `idnumber` (map either to the user's username
    or ID number), then a grade and a one-line feedback column per assignment."""
    assignments = _assignments(results)
    rows: list[list] = [["username", "idnumber",
                         *[h for a in assignments for h in (f"{a} grade", f"{a} feedback")]]]
    for student in sorted({r.student_id for r in results}):
        entry = roster_entry(roster, student)
        cells = []
        for a in assignments:
            result = next((r for r in results if r.student_id == student
                           and r.provenance.assignment_id == a), None)
            cells += [result.points if result and result.graded else "",
                      _feedback_line(result, lang) if result else ""]
        rows.append([entry.get("username") or student, entry.get("idnumber", ""), *cells])
    return _csv(rows)


def _feedback_line(result: GradingResult, lang: str) -> str:
    if not result.graded:
        return say("report.export_not_graded", lang=lang,
                   code=result.error.code.value if result.error else "-")
    lost = [i.item for i in result.score.items if i.points < i.max_points] if result.score else []
    return say("report.export_feedback", lang=lang, points=number(result.points),
               max_points=number(result.max_points), items=", ".join(lost) or "-")


def export_builders(roster: dict[str, dict[str, str]], lang: str = "ko"
                    ) -> dict[str, Callable[[list[GradingResult]], str]]:
    """File name -> the function making its text from the class's results."""
    return {"grades.csv": grades_csv,
            "canvas.csv": lambda results: canvas_csv(results, roster),
            "moodle.csv": lambda results: moodle_csv(results, roster, lang)}


def write_exports(out_dir: Path, results: list[GradingResult], roster: dict[str, dict[str, str]],
                  lang: str = "ko") -> None:
    from .render import atomic_write   # render imports this module's neighbours
    for name, build in export_builders(roster, lang).items():
        atomic_write(out_dir / name, build(results))

"""Grades for the places they go next: a plain sheet, Canvas's gradebook import, Moodle's.

Every cell passes through text.csv_cell, so an id or name that starts like a formula is
shown as text, never run. Files are UTF-8 with a byte-order mark (Excel on Korean
Windows opens them with names intact).

The roster is the instructor's CSV, one row per student, with a header; only `student`
(the id the grader uses: the cleaned file or folder name) is required. Canvas reads
`name`, `canvas_id`, `sis_user_id`, `sis_login_id`, `section`; Moodle `username` and
`idnumber`. A student missing from the roster keeps empty LMS columns, never a guess.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..messages import say
from ..result import GradingResult
from ..text import csv_cell
from .page import number

ROSTER_COLUMNS = ("student", "name", "canvas_id", "sis_user_id", "sis_login_id", "section",
                  "username", "idnumber")


class RosterError(ValueError):
    """A roster file that cannot be read as documented above."""


def read_roster(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "student" not in header:
        raise RosterError(f"{path}: the header needs a 'student' column (found {header})")
    roster = {}
    for row in reader:
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if clean.get("student"):
            roster[clean["student"]] = {c: clean.get(c, "") for c in ROSTER_COLUMNS}
    return roster


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
        entry = roster.get(student, {})
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
        entry = roster.get(student, {})
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


def write_exports(out_dir: Path, results: list[GradingResult], roster: dict[str, dict[str, str]],
                  lang: str = "ko") -> None:
    from .render import atomic_write   # render imports this module's neighbours
    atomic_write(out_dir / "grades.csv", grades_csv(results))
    atomic_write(out_dir / "canvas.csv", canvas_csv(results, roster))
    atomic_write(out_dir / "moodle.csv", moodle_csv(results, roster, lang))

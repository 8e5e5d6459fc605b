"""Grades for the places they go next: a plain sheet, Canvas's gradebook import, Moodle's.

Every cell passes through text.csv_cell, so an id or name that starts like a formula is
shown as text, never run. Files are UTF-8 with a byte-order mark (Excel on Korean
Windows opens them with names intact).

The roster (report/roster.py) gives the LMS columns: Canvas reads `name`, `canvas_id`,
`sis_user_id`, `sis_login_id`, `section`; Moodle `username`, `idnumber`, `participant`
and `email`. A class graded from an LMS download needs no roster for its LMS ids: Canvas's
user id and Moodle's participant id come from the download's names (submissions/lms.py),
and a roster's cells win where both exist. A student missing from the roster keeps empty
LMS columns, never a guess, and is reported (Roster.mismatches), as is a row that matched
nobody.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from ..messages import say
from ..result import GradingResult
from ..text import csv_cell
from .page import number
from .roster import Roster

def _items(results: list[GradingResult]) -> list[str]:
    items: list[str] = []
    for result in results:
        for i in (result.score.items if result.score else ()):
            if i.item not in items:
                items.append(i.item)
    return items


def assignments_of(results: list[GradingResult]) -> list[str]:
    return sorted({r.provenance.assignment_id for r in results if r.provenance.assignment_id})


def csv_text(rows: list[list]) -> str:
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
    return csv_text(rows)


def canvas_csv(results: list[GradingResult], roster: Roster,
               canvas_ids: dict[str, str] | None = None) -> str:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one
    column per assignment and a Points Possible row. Canvas matches a column to its
    assignment by the number in `Title (N)`, N being Canvas's own assignment id
    (`canvas_ids`, from --canvas-assignment-id); without one the column is the bare title,
    which Canvas matches by name or adds as a new assignment. It matches a row to a student
    by ID (Canvas's user id: the roster's canvas_id, else the download's name) or SIS ids."""
    assignments = assignments_of(results)
    maxima = {a: next((r.max_points for r in results if r.provenance.assignment_id == a
                       and r.max_points is not None), "") for a in assignments}
    rows: list[list] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                         *[canvas_title(a, canvas_ids) for a in assignments]],
                        ["    Points Possible", "", "", "", "", *[maxima[a] for a in assignments]]]
    for student, first in _students(results).items():
        entry = roster.entry(first)
        scores = {r.provenance.assignment_id: r.points for r in results
                  if r.student_id == student and r.graded}
        rows.append([entry.get("name") or _display_name(first) or student, canvas_user_id(first, roster),
                     entry.get("sis_user_id", ""), entry.get("sis_login_id", ""),
                     entry.get("section", ""), *[scores.get(a, "") for a in assignments]])
    return csv_text(rows)


def canvas_title(assignment: str, canvas_ids: dict[str, str] | None) -> str:
    number = (canvas_ids or {}).get(assignment) or (canvas_ids or {}).get("")
    return f"{assignment} ({number})" if number else assignment


def canvas_user_id(result: GradingResult, roster: Roster) -> str:
    identity = result.provenance.identity
    from_download = identity.lms_id if identity is not None and identity.lms == "canvas" else ""
    return roster.entry(result).get("canvas_id", "") or from_download


def canvas_unmatched(results: list[GradingResult], roster: Roster) -> list[str]:
    """Students whose canvas.csv row Canvas cannot match: no user id and no SIS id."""
    unmatched = []
    for student, first in _students(results).items():
        entry = roster.entry(first)
        if not (canvas_user_id(first, roster) or entry.get("sis_user_id") or entry.get("sis_login_id")):
            unmatched.append(student)
    return unmatched


def _students(results: list[GradingResult]) -> dict[str, GradingResult]:
    """Each student id, sorted, with one of their results (for the identity it carries)."""
    first: dict[str, GradingResult] = {}
    for result in results:
        first.setdefault(result.student_id, result)
    return dict(sorted(first.items()))


def _display_name(result: GradingResult) -> str:
    identity = result.provenance.identity
    return identity.display_name if identity is not None else ""


def moodle_csv(results: list[GradingResult], roster: Roster,
               lang: str = "ko") -> str:
    """Moodle's grade import: `username` and `idnumber` (map either to the user's username
    or ID number), then a grade and a one-line feedback column per assignment."""
    assignments = assignments_of(results)
    rows: list[list] = [["username", "idnumber",
                         *[h for a in assignments for h in (f"{a} grade", f"{a} feedback")]]]
    for student, first in _students(results).items():
        entry = roster.entry(first)
        cells = []
        for a in assignments:
            result = next((r for r in results if r.student_id == student
                           and r.provenance.assignment_id == a), None)
            cells += [result.points if result and result.graded else "",
                      feedback_line(result, lang) if result else ""]
        rows.append([entry.get("username") or student, entry.get("idnumber", ""), *cells])
    return csv_text(rows)


def feedback_line(result: GradingResult, lang: str) -> str:
    if not result.graded:
        return say("report.export_not_graded", lang=lang,
                   code=result.error.code.value if result.error else "-")
    lost = [i.item for i in result.score.items if i.points < i.max_points] if result.score else []
    return say("report.export_feedback", lang=lang, points=number(result.points),
               max_points=number(result.max_points), items=", ".join(lost) or "-")


def export_builders(roster: Roster, lang: str = "ko", *,
                    assignments: list[str] = (), canvas_ids: dict[str, str] | None = None,
                    page: Callable[[GradingResult], str] | None = None
                    ) -> dict[str, Callable[[list[GradingResult]], str | bytes]]:
    """File name -> the function making its contents from the class's results. Moodle's
    worksheet and feedback zip are one per assignment (each is one Moodle assignment's);
    the zip needs `page`, the renderer of a result's feedback.html."""
    from . import moodle   # moodle builds on this module's helpers
    builders: dict[str, Callable[[list[GradingResult]], str | bytes]] = {
        "grades.csv": grades_csv,
        "canvas.csv": lambda results: canvas_csv(results, roster, canvas_ids),
        "moodle.csv": lambda results: moodle_csv(results, roster, lang)}
    for assignment in assignments:
        # A submission refused before its assignment was known belongs to the class's one
        # assignment, so its student still gets the feedback saying why.
        strays = len(assignments) == 1

        def only(results, assignment=assignment, strays=strays):
            return [r for r in results if r.provenance.assignment_id == assignment
                    or (strays and r.provenance.assignment_id is None)]
        builders[f"moodle_worksheet_{assignment}.csv"] = \
            lambda results, only=only: moodle.worksheet_csv(only(results), roster, lang)
        if page is not None:
            builders[f"moodle_feedback_{assignment}.zip"] = \
                lambda results, only=only: moodle.feedback_zip(only(results), roster, page)
    return builders


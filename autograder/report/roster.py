"""The instructor's roster: which LMS ids and names belong to which graded student.

A UTF-8 CSV with a header, one row per student; every column is optional, but a row must
say who it is by at least one of them (ROSTER_COLUMNS, documented in the README). A row
belongs to a graded student when, in this order:

  1. its `student` cell is the student's id (as in OUT/students/<id>/);
  2. one of its LMS ids is the one the student's LMS download carried (Canvas's user id
     in `canvas_id`, Moodle's participant id in `participant`, Gradescope's SID in
     `sis_user_id`/`idnumber`, an email in `email`);
  3. one of its logins or SIS ids (`sis_login_id`, `username`, `sis_user_id`, `idnumber`)
     is the student's id (a class whose files are named by login);
  4. its `name` is, exactly, the student's display name or id, and no other row has it.

Cells are compared after trimming spaces and byte-order marks, NFC (a roster saved on a
Mac spells Korean names in NFD) and case-folding. Two rows claiming the same id are
refused before grading: one grade would go to whichever came last, and only the instructor
knows which row is right. Two rows with one name are fine (two 김민수): the name then
matches nobody, and the id columns decide.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from ..feedback import msg
from ..messages import SaidError
from ..result import GradingResult

ROSTER_COLUMNS = ("student", "name", "canvas_id", "sis_user_id", "sis_login_id", "section",
                  "username", "idnumber", "participant", "email")
# Columns that name one student each: two rows may not share a value in one of them.
ID_COLUMNS = ("student", "canvas_id", "sis_user_id", "sis_login_id", "username", "idnumber",
              "participant", "email")
# Where each LMS's id of a student (submissions/lms.Identity.lms_id) is found in a roster.
LMS_COLUMNS = {"canvas": ("canvas_id",), "moodle": ("participant",),
               "gradescope": ("sis_user_id", "idnumber", "email")}
LOGIN_COLUMNS = ("sis_login_id", "username", "sis_user_id", "idnumber")
PARTICIPANT_PREFIX = "Participant "   # how Moodle's worksheet writes a participant id


class RosterError(SaidError, ValueError):
    """A roster file that cannot be read as documented above; its message is a catalog
    one (report.roster.*), said in the console's language."""


def roster_key(text: str) -> str:
    """A cell or id as rosters are compared: trimmed, NFC, case-folded."""
    text = unicodedata.normalize("NFC", str(text)).strip().strip("\ufeff").strip()
    return unicodedata.normalize("NFC", text.casefold())


def participant_number(cell: str) -> str:
    """A `participant` cell as Moodle's number: "Participant 1007" and "1007" are 1007."""
    return roster_key(cell).removeprefix(PARTICIPANT_PREFIX.casefold()).strip()


def _id_key(column: str, value: str) -> str:
    return participant_number(value) if column == "participant" else roster_key(value)


class Roster:
    """The roster's rows, found by any of their ids; empty when no roster was given."""

    def __init__(self, rows: list[dict[str, str]] = ()):
        self.rows = [{c: row.get(c, "") for c in ROSTER_COLUMNS} for row in rows]
        self._by: dict[tuple[str, str], int] = {}
        names: dict[str, list[int]] = {}
        for number, row in enumerate(self.rows):
            for column in ID_COLUMNS:
                if row[column]:
                    self._by.setdefault((column, _id_key(column, row[column])), number)
            if row["name"]:
                names.setdefault(roster_key(row["name"]), []).append(number)
        self._names = {name: found[0] for name, found in names.items() if len(found) == 1}

    def __bool__(self) -> bool:
        return bool(self.rows)

    def _row(self, result: GradingResult) -> int | None:
        student = roster_key(result.student_id)
        identity = result.provenance.identity
        candidates = [("student", student)]
        if identity is not None:
            candidates += [(column, _id_key(column, identity.lms_id))
                           for column in LMS_COLUMNS.get(identity.lms, ())]
        candidates += [(column, student) for column in LOGIN_COLUMNS]
        for key in candidates:
            if key in self._by:
                return self._by[key]
        for name in ((identity.display_name if identity else ""), result.student_id):
            if name and roster_key(name) in self._names:
                return self._names[roster_key(name)]
        return None

    def entry(self, result: GradingResult) -> dict[str, str]:
        """The roster row of a result's student, or {} when none is theirs."""
        number = self._row(result)
        return self.rows[number] if number is not None else {}

    def mismatches(self, results: list[GradingResult]) -> tuple[list[str], list[str]]:
        """(students with a result but no row, rows with no result): both are said out
        loud, since either one leaves a student's LMS grade empty."""
        if not self.rows:
            return [], []
        matched, missing = set(), set()
        for result in results:
            number = self._row(result)
            if number is None:
                missing.add(result.student_id)
            else:
                matched.add(number)
        unused = [_label(row) for number, row in enumerate(self.rows) if number not in matched]
        return sorted(missing), sorted(unused)


def _label(row: dict[str, str]) -> str:
    return row["student"] or row["name"] or next((row[c] for c in ID_COLUMNS if row[c]), "?")


def read_roster(path: Path | None) -> Roster:
    """The roster at `path` (an empty one for None); RosterError for a file that cannot be
    read, a header naming none of the columns, or two rows claiming one id."""
    if path is None:
        return Roster()
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(msg("report.roster.not_utf8", path=str(path), position=exc.start + 1)) from exc
    except OSError as exc:
        raise RosterError(msg("report.roster.unreadable", path=str(path),
                              detail=exc.strerror or type(exc).__name__)) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [_cell(h).lower() for h in reader.fieldnames or []]
    if not set(header) & set(ID_COLUMNS + ("name",)):
        raise RosterError(msg("report.roster.no_columns", path=str(path), columns=", ".join(ROSTER_COLUMNS),
                              found=", ".join(header)))
    rows: list[dict[str, str]] = []
    claimed: dict[tuple[str, str], int] = {}
    for row in reader:
        clean = {_cell(k).lower(): _cell(v) for k, v in row.items() if isinstance(k, str)}
        if not any(clean.get(c) for c in ID_COLUMNS + ("name",)):
            continue
        for column in ID_COLUMNS:
            if clean.get(column):
                key = (column, _id_key(column, clean[column]))
                if key in claimed:
                    raise RosterError(msg("report.roster.duplicate", path=str(path), line=reader.line_num,
                                          column=column, value=clean[column], first=claimed[key]))
                claimed[key] = reader.line_num
        rows.append(clean)
    return Roster(rows)


def _cell(value) -> str:
    return unicodedata.normalize("NFC", value if isinstance(value, str) else "").strip().strip("\ufeff").strip()

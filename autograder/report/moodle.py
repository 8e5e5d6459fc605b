"""What a TA uploads to a Moodle assignment: its offline grading worksheet, and its
"upload multiple feedback files in a zip" with each student's feedback page.

Both are keyed by the participant id Moodle put in its download's names (`Full
Name_1007_assignsubmission_file_`), read by submissions/lms.py, or by a roster's
`participant` column. Moodle's importers, as written in its assign module:

- The worksheet importer finds the columns `Identifier`, `Grade` and `Last modified
  (grade)` by their header text (in the site's language; these are English), reads
  the participant id after the `Participant ` prefix, and skips a row whose grade
  Moodle changed later than that row says, unless the TA ticks "allow updating records
  that have been modified more recently". `Feedback comments` goes to the comments
  feedback plugin when it is enabled.
- The feedback-zip importer splits each file's path on `_` into five parts: a name, the
  participant id, the plugin type and name (`assignfeedback`, `file`), and the file
  name. A name holding `_` would shift those parts, so underscores in names become spaces.

One worksheet and one zip per assignment, since each belongs to one Moodle assignment.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable

from ..result import GradingResult
from .exports import csv_text, feedback_line
from .roster import PARTICIPANT_PREFIX, Roster, participant_number

WORKSHEET_COLUMNS = ("Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                     "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                     "Feedback comments")
FEEDBACK_FILE = "feedback.html"
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)   # the same pages make the same zip


def participant_of(result: GradingResult, roster: Roster) -> str:
    """The Moodle participant id of a result's student, or "" when neither the download's
    names nor the roster give one."""
    identity = result.provenance.identity
    if identity is not None and identity.lms == "moodle":
        return identity.lms_id
    participant = roster.entry(result).get("participant", "")
    return participant_number(participant) if participant else ""


def full_name(result: GradingResult, roster: Roster) -> str:
    identity = result.provenance.identity
    return (roster.entry(result).get("name")
            or (identity.display_name if identity else "") or result.student_id)


def worksheet_csv(results: list[GradingResult], roster: Roster,
                  lang: str = "ko", now: float | None = None) -> str:
    """Moodle's grading worksheet for one assignment's results: one row per student with a
    participant id; "Last modified (grade)" is the time of this export."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
    rows: list[list] = [list(WORKSHEET_COLUMNS)]
    for result in sorted(results, key=lambda r: r.student_id):
        participant = participant_of(result, roster)
        if not participant:
            continue
        rows.append([PARTICIPANT_PREFIX + participant, full_name(result, roster),
                     roster.entry(result).get("email", ""), "",
                     result.points if result.graded else "",
                     "" if result.max_points is None else result.max_points, "Yes", "", stamp,
                     feedback_line(result, lang)])
    return csv_text(rows)


def feedback_zip(results: list[GradingResult], roster: Roster,
                 page: Callable[[GradingResult], str]) -> bytes:
    """The feedback-files zip for one assignment: `<name>_<participant>_assignfeedback_file_
    feedback.html` per student with a participant id; `page` renders a result's page."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for result in sorted(results, key=lambda r: r.student_id):
            participant = participant_of(result, roster)
            if not participant:
                continue
            name = _zip_name(full_name(result, roster))
            info = zipfile.ZipInfo(f"{name}_{participant}_assignfeedback_file_{FEEDBACK_FILE}", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, page(result).encode("utf-8", "backslashreplace"))
    return buf.getvalue()


def _zip_name(name: str) -> str:
    """A name as the first part of a feedback file's path: no `_` (Moodle splits on it), no
    path separators or dots that would climb, no control characters."""
    kept = "".join(" " if ch in "_/\\" or not ch.isprintable() else ch for ch in name)
    return " ".join(kept.split()).strip(". ") or "student"


def unmatched(results: list[GradingResult], roster: Roster) -> list[str]:
    """Students Moodle's importers would not find: no participant id anywhere."""
    return sorted({r.student_id for r in results if not participant_of(r, roster)})

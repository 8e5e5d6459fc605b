"""Who a submission belongs to, read from the names an LMS bulk download gives its entries.

Moodle's "Download all submissions" names each student's folder (or, without folders,
each file) `Full Name_participantid_assignsubmission_file_[original name]`; the participant
id is fixed per assignment and student. Canvas names each file
`name[_LATE]_userid_attachmentid[_n]_original name`, the name being the student's sortable
name squeezed to word characters and lowercased; the user id is the student's for good,
and attachment ids grow with every upload, so the larger one is the later file.

Gradescope's "Export Submissions" gives each submission a folder `submission_<n>` and
says whose it is in `submission_metadata.yml` beside them (read by gradescope_identities:
the first submitter's name, SID and email). An entry whose name fits none of these layouts
gets no Identity, and its id is made from its name as before. Names come from archives and
disks that may not be UTF-8: a layout is matched on the text, whatever characters the name
part holds (Korean, spaces, punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_MOODLE = re.compile(
    r"(?P<name>.+?)_(?P<participant>\d{1,12})_assignsubmission_(?P<plugin>[a-z]+)(?:_(?P<original>.*))?",
    re.DOTALL)
# Canvas's name part is the sortable name with non-word characters removed, so it has no
# spaces; the late marker sits between it and the user id. `_n` (a short number) follows
# the attachment id when Canvas numbers files of one submission that share a name.
_CANVAS = re.compile(
    r"(?P<name>[^\W_]\w*?)(?P<late>_LATE)?_(?P<user>\d{1,15})_(?P<attachment>\d{1,15})"
    r"(?:_(?P<copy>\d{1,2}))?_(?P<original>.+)",
    re.DOTALL)


@dataclass(frozen=True)
class Identity:
    """A student as the LMS knows them, read from one downloaded entry's name."""

    lms: str                      # "moodle", "canvas" or "gradescope"
    lms_id: str                   # Moodle's participant id, Canvas's user id, Gradescope's SID
    display_name: str             # as the LMS wrote it ("윤지호", "leeyounghee")
    original_name: str = ""       # the file name the student uploaded, where the LMS kept it
    late: bool = False            # Canvas marks late submissions in the name
    upload_order: int = 0         # Canvas's attachment id: larger is later

    @property
    def key(self) -> tuple[str, str]:
        """Entries with equal keys are one student's, in one download."""
        return self.lms, self.lms_id

    @property
    def id_text(self) -> str:
        """The text a student id is made from: readable, and unique by the LMS id."""
        return f"{self.display_name}_{self.lms_id}"


def identify(entry_name: str) -> Identity | None:
    """The Identity an LMS download's entry name carries, or None for any other name.

    `entry_name` is a folder's name or a file's full name (with its suffix)."""
    text = unicodedata.normalize("NFC", entry_name).strip()
    moodle = _MOODLE.fullmatch(text)
    if moodle and moodle["name"].strip(" _"):
        return Identity("moodle", moodle["participant"], moodle["name"].strip(" _"),
                        (moodle["original"] or "").strip())
    canvas = _CANVAS.fullmatch(text)
    if canvas:
        return Identity("canvas", canvas["user"], canvas["name"], canvas["original"].strip(),
                        late=bool(canvas["late"]), upload_order=int(canvas["attachment"]))
    return None


GRADESCOPE_METADATA = "submission_metadata.yml"
_GS_RECORD = re.compile(r":?(submission_(\d{1,15})):\s*$")
_GS_FIELD = re.compile(r"\s*-?\s*:?(name|sid|email):\s*(.*?)\s*$")


def gradescope_identities(text: str) -> dict[str, Identity]:
    """Folder name -> Identity from Gradescope's submission_metadata.yml (YAML written by
    Ruby: `:submission_123:` records, `:submitters:` lists of `:name:`, `:sid:`, `:email:`).
    Read line by line for just these keys, so no YAML library is needed and nothing in the
    file is ever evaluated; the first submitter of a group submission stands for it."""
    found: dict[str, Identity] = {}
    folder, number, fields = None, 0, {}

    def close():
        if folder and fields.get("name"):
            who = fields.get("sid") or fields.get("email") or str(number)
            found[folder] = Identity("gradescope", who, fields["name"], upload_order=number)

    for line in text.splitlines():
        record = _GS_RECORD.fullmatch(line) if line[:1] not in (" ", "\t", "-") else None
        if record:
            close()
            folder, number, fields = record[1], int(record[2]), {}
            continue
        field = _GS_FIELD.fullmatch(line)
        if folder and field and field[1] not in fields:
            value = field[2]
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields[field[1]] = unicodedata.normalize("NFC", value).strip()
    close()
    return found

"""The exports read back the way Canvas's and Moodle's importers read them.

The readers below are written from the importers' documented behaviour, not from the
writers' code: Canvas matches a grade column by the number in `Title (N)` and a row by ID
or SIS id; Moodle's worksheet importer finds `Identifier`, `Grade` and `Last modified
(grade)` by header text and reads the id after `Participant `; its feedback-zip importer
splits each path on `_` into name, participant id, plugin type, plugin name, file name.
"""

import csv
import dataclasses
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.report import moodle
from autograder.report.exports import canvas_csv, canvas_unmatched
from autograder.report.roster import Roster
from autograder.submissions.lms import Identity
from tests.report.test_render import _graded

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def canvas_import(text: str) -> dict[tuple[str, str], str]:
    """(Canvas user id or SIS id, Canvas assignment number) -> grade, as Canvas's importer
    would take them; columns without `(N)` and rows without ids match nothing."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    columns = {i: m.group(1) for i, title in enumerate(header)
               if (m := re.fullmatch(r".* \((\d+)\)", title))}
    grades = {}
    for row in rows[1:]:
        if row[0].strip() == "Points Possible":
            continue
        who = row[1] or row[2] or row[3]
        for i, number in columns.items():
            if who and row[i] != "":
                grades[(who, number)] = row[i]
    return grades


def moodle_worksheet_import(text: str) -> dict[int, tuple[str, str]]:
    """participant id -> (grade, feedback), as Moodle's offline grading importer reads them."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    ident, grade, modified = (header.index(h) for h in ("Identifier", "Grade", "Last modified (grade)"))
    feedback = header.index("Feedback comments") if "Feedback comments" in header else None
    found = {}
    for row in rows[1:]:
        rest = row[ident][len("Participant "):]
        assert row[modified], "a row without a modification time is skipped for graded users"
        if rest.isdigit():
            found[int(rest)] = (row[grade], row[feedback] if feedback is not None else "")
    return found


def moodle_feedback_import(data: bytes) -> dict[int, dict[str, bytes]]:
    """participant id -> {file name: bytes} of the `assignfeedback`/`file` plugin."""
    found: dict[int, dict[str, bytes]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            base = info.filename.rsplit("/", 1)[-1]
            if info.is_dir() or base.startswith((".", "~")):
                continue
            parts = ("/" + info.filename).split("_", 4)
            if len(parts) < 5 or not parts[1].isdigit() or (parts[2], parts[3]) != ("assignfeedback", "file"):
                continue
            found.setdefault(int(parts[1]), {})[parts[4]] = zf.read(info)
    return found


def _as(result, identity: Identity):
    return dataclasses.replace(result, provenance=dataclasses.replace(result.provenance, identity=identity))


def test_canvas_columns_carry_canvas_numbers_and_rows_the_downloads_user_ids():
    """Are Canvas user ids from the download's names enough for Canvas to match every row?"""
    kim = _as(_graded("kimminsu_1001"), Identity("canvas", "1001", "kimminsu"))
    lee = _as(_graded("leeyounghee_1002"), Identity("canvas", "1002", "leeyounghee"))
    text = canvas_csv([kim, lee], Roster(), {"ch03": "4411"})
    assert canvas_import(text) == {("1001", "4411"): "2.0", ("1002", "4411"): "2.0"}
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[5] == "ch03 (4411)"
    assert canvas_unmatched([kim, lee, _graded("park")], Roster()) == ["park"]
    # The roster's canvas_id wins over the download's.
    assert canvas_import(canvas_csv([kim], Roster([{"student": "kimminsu_1001", "canvas_id": "77"}]), {"": "4411"})) == {
        ("77", "4411"): "2.0"}


def test_moodle_worksheet_and_feedback_zip_reach_each_participant():
    """Does each participant get their grade, feedback line and page, under the download's id,
    even with underscores in their name?"""
    yoon = _as(_graded("윤지호_1007"), Identity("moodle", "1007", "윤지호"))
    odd = _as(_graded("Lee_Ann_1008"), Identity("moodle", "1008", "Lee_Ann"))
    plain = _graded("park")
    sheet = moodle_worksheet_import(moodle.worksheet_csv([yoon, odd, plain], Roster(), "en"))
    assert set(sheet) == {1007, 1008}
    assert sheet[1007][0] == "2.0" and "softmax" in sheet[1007][1]
    pages = moodle_feedback_import(moodle.feedback_zip([yoon, odd, plain], Roster(),
                                                       lambda r: f"<p>{r.student_id}</p>"))
    assert pages == {1007: {"feedback.html": "<p>윤지호_1007</p>".encode()},
                     1008: {"feedback.html": b"<p>Lee_Ann_1008</p>"}}
    assert moodle.unmatched([yoon, plain], Roster()) == ["park"]
    # A roster's participant column serves a class not graded from Moodle's download.
    assert set(moodle_worksheet_import(moodle.worksheet_csv([plain], Roster([{"student": "park", "participant": "Participant 9"}])))) == {9}


@pytest.mark.sandbox
def test_a_moodle_download_grades_into_exports_moodle_imports(tmp_path, caplog):
    """A Moodle download (folders named by Moodle, one student without a notebook) graded
    end to end: the worksheet gives the right grade to the right participant, and the
    feedback zip holds each participant's page."""
    root = tmp_path / "download"
    for folder, notebook in (("김민수_1001_assignsubmission_file_", "kim_minsu_ch03.ipynb"),
                             ("Choi Chae-yeon_1002_assignsubmission_file_", "choi_broken_upload.ipynb")):
        (root / folder).mkdir(parents=True)
        shutil.copy(EXAMPLES / notebook, root / folder / "과제3.ipynb")
    out = tmp_path / "graded"
    assert main(["grade", str(root), "--out", str(out), "--assignment", "ch03"]) == 0
    sheet = moodle_worksheet_import((out / "moodle_worksheet_ch03.csv").read_text(encoding="utf-8"))
    assert sheet[1001][0] == "50.0" and sheet[1002][0] == ""
    pages = moodle_feedback_import((out / "moodle_feedback_ch03.zip").read_bytes())
    assert set(pages) == {1001, 1002}
    assert "김민수" in pages[1001]["feedback.html"].decode()


@pytest.mark.sandbox
def test_a_canvas_download_grades_into_a_csv_canvas_imports(tmp_path, caplog):
    """A Canvas download (a late file, a resubmission) graded with the Canvas number:
    every student's grade lands under their Canvas user id, the resubmission once."""
    root = tmp_path / "download"
    root.mkdir()
    shutil.copy(EXAMPLES / "kim_minsu_ch03.ipynb", root / "kimminsu_1001_5001_ch03.ipynb")
    shutil.copy(EXAMPLES / "choi_broken_upload.ipynb", root / "kimminsu_1001_5100_ch03-1.ipynb")
    shutil.copy(EXAMPLES / "kim_minsu_ch03.ipynb", root / "parkjiwoo_LATE_1003_5050_hw.ipynb")
    out = tmp_path / "graded"
    assert main(["grade", str(root), "--out", str(out), "--assignment", "ch03",
                 "--canvas-assignment-id", "4411"]) == 0
    grades = canvas_import((out / "canvas.csv").read_text(encoding="utf-8"))
    # kim's later upload (attachment 5100) is the broken one: graded, no grade for Canvas.
    assert grades == {("1003", "4411"): "50.0"}
    rows = list(csv.reader(io.StringIO((out / "canvas.csv").read_text(encoding="utf-8").lstrip("\ufeff"))))
    assert [r[1] for r in rows[2:]] == ["1001", "1003"]


def test_feedback_zip_names_cannot_climb_or_shift_moodles_parts():
    """Does a roster name with slashes, dots, underscores or control characters stay one
    harmless first part of the path?"""
    plain = _graded("park")
    roster = Roster([{"student": "park", "participant": "9", "name": "../../etc/x_y\x00\n"}])
    data = moodle.feedback_zip([plain], roster, lambda r: "<p>ok</p>")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (name,) = zf.namelist()
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert moodle_feedback_import(data) == {9: {"feedback.html": b"<p>ok</p>"}}

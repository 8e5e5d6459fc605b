"""Do the exports carry the grades in the shapes Canvas and Moodle import, safely?"""

import csv
import io

import pytest

from autograder.report.exports import RosterError, canvas_csv, grades_csv, moodle_csv, read_roster
from tests.report.test_render import _error, _graded


def _rows(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_grades_csv_has_total_and_every_item():
    rows = _rows(grades_csv([_graded("kim"), _error("lee")]))
    assert rows[0] == ["student", "assignment", "total", "max", "softmax", "relu"]
    assert rows[1][:2] == ["kim", "ch03"] and float(rows[1][2]) == 2 and float(rows[1][3]) == 6
    assert rows[2][2] == ""


def test_canvas_csv_uses_the_roster_and_canvas_columns(tmp_path):
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("student,name,canvas_id,sis_user_id,section\nkim,김민수,101,2024001,A\n",
                           encoding="utf-8")
    rows = _rows(canvas_csv([_graded("kim"), _graded("park")], read_roster(roster_file)))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ch03 (ch03)"]
    assert rows[1][0].strip() == "Points Possible" and float(rows[1][5]) == 6
    assert rows[2] == ["김민수", "101", "2024001", "", "A", "2.0"]
    assert rows[3][:2] == ["park", ""]          # not in the roster: empty ids, never a guess


def test_moodle_csv_has_id_grade_and_feedback_columns():
    rows = _rows(moodle_csv([_graded("kim"), _error("lee")], {}, "en"))
    assert rows[0] == ["username", "idnumber", "ch03 grade", "ch03 feedback"]
    assert rows[1][2] == "2.0" and "softmax" in rows[1][3]


def test_every_export_neutralises_formulas():
    bad = [_graded('=HYPERLINK("http://x","y")'), _graded("@SUM(1)")]
    roster = {'=HYPERLINK("http://x","y")': {"name": "+cmd", "canvas_id": "-1"}}
    for text in (grades_csv(bad), canvas_csv(bad, roster), moodle_csv(bad, roster)):
        for row in _rows(text)[1:]:
            assert not any(cell.startswith(("=", "+", "@", "-")) for cell in row), row


def test_a_roster_without_a_student_column_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,id\nkim,1\n", encoding="utf-8")
    with pytest.raises(RosterError):
        read_roster(path)

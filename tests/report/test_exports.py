"""Do the exports carry the grades in the shapes Canvas and Moodle import, safely?"""

import csv
import io

import pytest

from autograder.report.exports import (RosterError, canvas_csv, grades_csv, moodle_csv, read_roster,
                                        roster_mismatches)
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
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ch03"]
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


def test_a_roster_saved_on_a_mac_matches_and_spacing_case_and_bom_do_not_matter(tmp_path):
    """NFD names (a Mac's), a stray BOM in a cell, spaces and capitals: the same student."""
    import unicodedata
    nfd = unicodedata.normalize("NFD", "김민수")
    path = tmp_path / "roster.csv"
    path.write_text(f"\ufeff Student ,Name\n{nfd} ,NFD\n\ufeffPARK,P\n", encoding="utf-8")
    roster = read_roster(path)
    rows = _rows(canvas_csv([_graded("김민수"), _graded("park")], roster))
    assert sorted(r[0] for r in rows[2:]) == ["NFD", "P"]
    assert roster_mismatches([_graded("김민수"), _graded("park")], roster) == ([], [])


def test_two_roster_rows_for_one_student_are_refused_naming_both_lines(tmp_path):
    import unicodedata
    path = tmp_path / "roster.csv"
    path.write_text(f"student,name\n김민수,first\nlee,L\n{unicodedata.normalize('NFD', '김민수')},second\n",
                    encoding="utf-8")
    with pytest.raises(RosterError, match="line 4.*first on line 2"):
        read_roster(path)
    path.write_text("student,name\nkim,a\nKIM,b\n", encoding="utf-8")
    with pytest.raises(RosterError, match="again"):
        read_roster(path)


def test_unmatched_students_and_rows_are_reported_on_the_dashboard(tmp_path):
    from autograder.report.render import render_dashboard
    path = tmp_path / "roster.csv"
    path.write_text("student,name\nkim,K\nchoi,C\n", encoding="utf-8")
    results = [_graded("kim"), _graded("park")]
    mismatches = roster_mismatches(results, read_roster(path))
    assert mismatches == (["park"], ["choi"])
    html = render_dashboard(results, "students", "en", roster=mismatches)
    section = html.split('<ul class="roster">')[1].split("</ul>")[0]
    assert "not on the roster" in section and "park" in section
    assert "matched no result" in section and "choi" in section

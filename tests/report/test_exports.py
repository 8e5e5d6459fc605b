"""Do the exports carry the grades in the shapes Canvas and Moodle import, safely?"""

import csv
import io
import re

import pytest

from autograder.report.exports import canvas_csv, grades_csv, moodle_csv
from autograder.report.roster import Roster, RosterError, read_roster
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
    rows = _rows(moodle_csv([_graded("kim"), _error("lee")], Roster(), "en"))
    assert rows[0] == ["username", "idnumber", "ch03 grade", "ch03 feedback"]
    assert rows[1][2] == "2.0" and "softmax" in rows[1][3]


def test_every_export_neutralises_formulas():
    bad = [_graded('=HYPERLINK("http://x","y")'), _graded("@SUM(1)")]
    roster = Roster([{"student": '=HYPERLINK("http://x","y")', "name": "+cmd", "canvas_id": "-1"}])
    for text in (grades_csv(bad), canvas_csv(bad, roster), moodle_csv(bad, roster)):
        for row in _rows(text)[1:]:
            assert not any(cell.startswith(("=", "+", "@", "-")) for cell in row), row


def test_a_roster_naming_none_of_its_columns_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("who,id\nkim,1\n", encoding="utf-8")
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
    assert roster.mismatches([_graded("김민수"), _graded("park")]) == ([], [])


def test_two_roster_rows_for_one_student_are_refused_naming_both_lines(tmp_path):
    import unicodedata
    path = tmp_path / "roster.csv"
    path.write_text(f"student,name\n김민수,first\nlee,L\n{unicodedata.normalize('NFD', '김민수')},second\n",
                    encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    assert re.search("line 4.*student.*first on line 2", raised.value.message.render("en"))
    path.write_text("student,name\nkim,a\nKIM,b\n", encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    assert "again" in raised.value.message.render("en")


def test_unmatched_students_and_rows_are_reported_on_the_dashboard(tmp_path):
    from autograder.report.render import render_dashboard
    path = tmp_path / "roster.csv"
    path.write_text("student,name\nkim,K\nchoi,C\n", encoding="utf-8")
    results = [_graded("kim"), _graded("park")]
    mismatches = read_roster(path).mismatches(results)
    assert mismatches == (["park"], ["choi"])
    html = render_dashboard(results, "students", "en", roster=mismatches)
    section = html.split('<ul class="roster">')[1].split("</ul>")[0]
    assert "not on the roster" in section and "park" in section
    assert "matched no result" in section and "choi" in section
    # A student the roster lacks may still carry an LMS download's id: the exports are not empty.
    assert "ids are empty" not in section and "an LMS download&#39;s own id still does" in section


def test_a_roster_row_matches_by_lms_id_login_or_exact_name(tmp_path):
    """Does a row reach its student by the LMS id the download carried, by a login the files
    are named by, or by an exact name (shared names matching nobody), in that order?"""
    import dataclasses
    from autograder.submissions.lms import Identity

    def known_as(student, identity):
        result = _graded(student)
        return dataclasses.replace(result, provenance=dataclasses.replace(result.provenance, identity=identity))

    path = tmp_path / "roster.csv"
    path.write_text("name,canvas_id,participant,sis_login_id,section\n"
                    "Lee Younghee,1002,,,A\n"          # Canvas user id
                    "윤지호,,Participant 1007,,B\n"     # Moodle participant id
                    "Park Jiwoo,,,pjw01,C\n"            # login = file name
                    "Choi Eunji,,,,D\n"                 # exact display name
                    "김민수,,,,E\n김민수,,,,F\n",          # two of one name: the name decides nothing
                    encoding="utf-8")
    roster = read_roster(path)
    lee = known_as("leeyounghee_1002", Identity("canvas", "1002", "leeyounghee"))
    yoon = known_as("윤지호_1007", Identity("moodle", "1007", "윤지호"))
    park = _graded("PJW01")
    choi = known_as("choi_2001", Identity("gradescope", "2001", "choi eunji"))
    kim = _graded("김민수")
    assert [roster.entry(r).get("section") for r in (lee, yoon, park, choi, kim)] == ["A", "B", "C", "D", None]
    missing, unused = roster.mismatches([lee, yoon, park, choi, kim])
    assert missing == ["김민수"] and unused == ["김민수", "김민수"]


def test_two_rows_claiming_one_lms_id_are_refused(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("name,canvas_id\nA,1002\nB,1002\n", encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    assert "canvas_id '1002' again" in raised.value.message.render("en")

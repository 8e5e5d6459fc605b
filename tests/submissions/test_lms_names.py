"""Entry names of Moodle's and Canvas's bulk downloads, messy as real ones are."""

import pytest

from autograder.submissions.lms import identify


@pytest.mark.parametrize("name, lms_id, display, original", [
    ("윤지호_1007_assignsubmission_file_", "1007", "윤지호", ""),
    ("윤지호_1007_assignsubmission_file", "1007", "윤지호", ""),
    ("Kim Min-su_88_assignsubmission_file_ch05 (1).ipynb", "88", "Kim Min-su", "ch05 (1).ipynb"),
    ("O'Brien, Seán_123456_assignsubmission_file_hw.ipynb", "123456", "O'Brien, Seán", "hw.ipynb"),
    ("박 서 연_42_assignsubmission_onlinetext_onlinetext.html", "42", "박 서 연", "onlinetext.html"),
    ("lee_1_2_assignsubmission_file_x_3_4.ipynb", "2", "lee_1", "x_3_4.ipynb"),
])
def test_moodle_names(name, lms_id, display, original):
    """Does a Moodle folder or file name give the participant id, the full name and the upload's name?"""
    found = identify(name)
    assert (found.lms, found.lms_id, found.display_name, found.original_name) == (
        "moodle", lms_id, display, original)
    assert not found.late


def test_moodle_name_in_nfd_is_read_as_nfc():
    """Is a name unpacked on macOS (decomposed Hangul) the same student as the composed one?"""
    import unicodedata
    decomposed = unicodedata.normalize("NFD", "윤지호_1007_assignsubmission_file_")
    assert identify(decomposed).display_name == "윤지호"


@pytest.mark.parametrize("name, user, attachment, late, original", [
    ("leeyounghee_1002_5552_ch03_neural_networks.ipynb", "1002", 5552, False, "ch03_neural_networks.ipynb"),
    ("leeyounghee_1002_5599_ch03_neural_networks-1.ipynb", "1002", 5599, False, "ch03_neural_networks-1.ipynb"),
    ("kimminsu_LATE_1003_6001_hw.ipynb", "1003", 6001, True, "hw.ipynb"),
    ("parkjiwoo_1004_6002_1_ch05.ipynb", "1004", 6002, False, "ch05.ipynb"),
    ("parkjiwoo_1004_6003_DL 과제 (최종).ipynb", "1004", 6003, False, "DL 과제 (최종).ipynb"),
])
def test_canvas_names(name, user, attachment, late, original):
    """Does a Canvas file name give the user id, the attachment id, the late flag and the upload's name?"""
    found = identify(name)
    assert (found.lms, found.lms_id, found.upload_order, found.late, found.original_name) == (
        "canvas", user, attachment, late, original)


def test_two_canvas_uploads_of_one_student_share_a_key():
    """Is a resubmission (a new attachment id) the same student, and the later upload larger?"""
    first = identify("leeyounghee_1002_5552_ch03.ipynb")
    second = identify("leeyounghee_1002_5599_ch03-1.ipynb")
    assert first.key == second.key
    assert first.id_text == second.id_text == "leeyounghee_1002"
    assert second.upload_order > first.upload_order


@pytest.mark.parametrize("name", [
    "kim_minsu.ipynb", "홍길동_20231234_ch03.ipynb", "hw3.ipynb", "ch05_backprop",
    "_1007_assignsubmission_file_", "report_final_v2.ipynb", "2023_ch03.ipynb",
])
def test_other_names_are_no_lms_layout(name):
    """Are plain names (a student's own file name, a folder) left to the plain id rules?"""
    assert identify(name) is None

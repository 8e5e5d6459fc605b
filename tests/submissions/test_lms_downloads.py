"""Class downloads as Moodle and Canvas make them: one student per LMS identity."""

import os

from autograder.submissions import discover

from .builders import NOTEBOOK, make_zip, touch


def _by_id(subs):
    return {s.student_id: s for s in subs}


def test_moodle_download_in_folders_gives_name_and_participant_ids(tmp_path):
    """Are Moodle's `Full Name_participantid_assignsubmission_file_` folders students named by both?"""
    root = tmp_path / "in"
    touch(root / "윤지호_1007_assignsubmission_file_" / "ch05.ipynb")
    touch(root / "Kim Min-su_1008_assignsubmission_file_" / "DL 과제 (1).ipynb")
    touch(root / "Kim Min-su_1008_assignsubmission_onlinetext_" / "onlinetext.html", "<p>see file</p>")
    subs = _by_id(discover([root], tmp_path / "scratch"))
    assert sorted(subs) == ["Kim_Min-su_1008", "윤지호_1007"]
    kim = subs["Kim_Min-su_1008"]
    assert (kim.identity.lms, kim.identity.lms_id, kim.identity.display_name) == ("moodle", "1008", "Kim Min-su")
    assert kim.path.name == "DL 과제 (1).ipynb"
    assert kim.superseded and "onlinetext" in kim.superseded[0]


def test_moodle_download_without_folders_groups_a_students_files(tmp_path):
    """Do a participant's loose files (notebook, data, text) make one student, graded on the notebook?"""
    archive = make_zip(tmp_path / "DL 과제 ch05.zip", {
        "윤지호_1007_assignsubmission_file_ch05.ipynb": NOTEBOOK,
        "윤지호_1007_assignsubmission_file_weights.npy": b"\x93NUMPY",
        "이서연_1009_assignsubmission_file_과제5.ipynb": NOTEBOOK,
    })
    subs = _by_id(discover([archive], tmp_path / "scratch"))
    assert sorted(subs) == ["윤지호_1007", "이서연_1009"]
    assert subs["윤지호_1007"].path.name.endswith("ch05.ipynb")
    assert subs["이서연_1009"].identity.original_name == "과제5.ipynb"


def test_canvas_resubmission_is_one_student_graded_on_the_later_upload(tmp_path):
    """Is a Canvas resubmission (a new attachment id) the same student, the later file graded,
    whatever the files' dates say?"""
    root = tmp_path / "in"
    older = touch(root / "leeyounghee_1002_5552_ch03_neural_networks.ipynb")
    newer = touch(root / "leeyounghee_1002_5599_ch03_neural_networks-1.ipynb")
    touch(root / "kimminsu_LATE_1003_6001_hw.ipynb")
    touch(root / "parkjiwoo_1004_6002_ch03.ipynb")
    os.utime(newer, (1_000, 1_000))   # unpacked dates say nothing about upload order
    os.utime(older, (9_000, 9_000))
    subs = _by_id(discover([root], tmp_path / "scratch"))
    assert sorted(subs) == ["kimminsu_1003", "leeyounghee_1002", "parkjiwoo_1004"]
    lee = subs["leeyounghee_1002"]
    assert lee.path == newer
    assert lee.superseded == (f"{root}/{older.name}",)
    assert subs["kimminsu_1003"].identity.late
    assert not lee.identity.late


def test_a_plain_folder_with_a_few_lms_like_names_keeps_plain_ids(tmp_path):
    """Does a class folder whose files merely look like Canvas's (a minority) keep today's ids?"""
    root = tmp_path / "in"
    for name in ("kim.ipynb", "lee.ipynb", "park.ipynb", "choi_2023_1_hw.ipynb"):
        touch(root / name)
    assert sorted(_by_id(discover([root], tmp_path / "scratch"))) == [
        "choi_2023_1_hw", "kim", "lee", "park"]


def test_two_students_with_one_name_stay_two(tmp_path):
    """Are two Moodle participants who share a full name two students, not a collision?"""
    root = tmp_path / "in"
    touch(root / "김민수_11_assignsubmission_file_" / "a.ipynb")
    touch(root / "김민수_12_assignsubmission_file_" / "b.ipynb")
    subs = _by_id(discover([root], tmp_path / "scratch"))
    assert sorted(subs) == ["김민수_11", "김민수_12"]
    assert all(s.refusal is None for s in subs.values())


GRADESCOPE_METADATA = """---
:submission_2001:
  :submitters:
  - :name: 김민수
    :sid: '2023001'
    :email: minsu@example.ac.kr
  :created_at: 2026-11-20 10:00:00.000000000 +09:00
  :score: 0.0
:submission_2002:
  :submitters:
  - :name: "Lee, Young-hee"
    :sid: ''
    :email: younghee@example.ac.kr
  - :name: Park Jiwoo
    :sid: '2023003'
    :email: jiwoo@example.ac.kr
  :created_at: 2026-11-20 11:00:00.000000000 +09:00
"""


def test_gradescope_export_names_students_from_its_metadata(tmp_path):
    """Is Gradescope's export (submission_<n>/ folders and submission_metadata.yml, all in
    one assignment_<n>_export/ folder of the zip) read as its submitters, the metadata
    file itself never a student?"""
    archive = make_zip(tmp_path / "assignment_77_export.zip", {
        "assignment_77_export/submission_metadata.yml": GRADESCOPE_METADATA,
        "assignment_77_export/submission_2001/ch05.ipynb": NOTEBOOK,
        "assignment_77_export/submission_2002/hw.ipynb": NOTEBOOK,
    })
    subs = _by_id(discover([archive], tmp_path / "scratch"))
    assert sorted(subs) == ["Lee_Young-hee_younghee_example.ac.kr", "김민수_2023001"]
    kim = subs["김민수_2023001"]
    assert (kim.identity.lms, kim.identity.lms_id, kim.identity.display_name) == ("gradescope", "2023001", "김민수")
    assert kim.path.name == "ch05.ipynb"
    assert subs["Lee_Young-hee_younghee_example.ac.kr"].identity.display_name == "Lee, Young-hee"


def test_gradescope_metadata_is_read_without_evaluating_anything():
    """Does the reader take only names, SIDs and emails, and survive a hostile file?"""
    from autograder.submissions.lms import gradescope_identities
    assert gradescope_identities("!!python/object:os.system\n:submission_1:\n  - :name: x\n") == {
        "submission_1": gradescope_identities(":submission_1:\n  - :name: x\n")["submission_1"]}
    assert gradescope_identities("\x00\xff garbage\n:::\n") == {}

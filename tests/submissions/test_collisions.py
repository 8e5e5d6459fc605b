"""Can one upload take another student's id, or the grader's own files? Never silently."""

import unicodedata
from pathlib import Path

from autograder.feedback import msg
from autograder.submissions import discover
from autograder.submissions.ids import REFUSED_MARK

from .builders import NOTEBOOK, is_inert, make_zip, touch


def _by_id(subs):
    assert len({s.student_id for s in subs}) == len(subs), "ids are unique in a batch"
    return {s.student_id: s for s in subs}


def test_names_that_clean_to_the_same_id_are_all_refused_never_renamed(tmp_path):
    touch(tmp_path / "in" / "victim lee.ipynb")
    touch(tmp_path / "in" / "victim_lee.ipynb")
    touch(tmp_path / "in" / "park.ipynb")
    subs = _by_id(discover([tmp_path / "in"], tmp_path / "scratch"))
    assert sorted(subs) == ["park", "victim_lee~1", "victim_lee~2"]
    assert subs["park"].refusal is None
    for sid in ("victim_lee~1", "victim_lee~2"):
        refusal = subs[sid].refusal
        assert refusal.code == "id_collision"
        # Both files are named, so the instructor can tell who is who.
        assert "victim lee.ipynb" in refusal.detail and "victim_lee.ipynb" in refusal.detail
        assert refusal.message() == msg("submissions.id_collision", detail=refusal.detail)
        assert "victim_lee" in refusal.message().render("ko")
    assert {Path(subs[s].origin).name for s in ("victim_lee~1", "victim_lee~2")} == {"victim lee.ipynb",
                                                                                  "victim_lee.ipynb"}
    assert all(is_inert(subs[s].path) for s in ("victim_lee~1", "victim_lee~2")), "neither is graded"


def test_ids_differing_only_in_case_or_normal_form_collide(tmp_path):
    touch(tmp_path / "in" / "Victim_Lee.ipynb")
    touch(tmp_path / "in" / "victim_lee.ipynb")
    touch(tmp_path / "in" / (unicodedata.normalize("NFD", "김민수") + ".ipynb"))
    touch(tmp_path / "in" / "김민수" / "hw.ipynb")
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert all(s.refusal and s.refusal.code == "id_collision" for s in subs)
    assert len(subs) == 4 and all(REFUSED_MARK in s.student_id for s in subs)


def test_the_same_name_in_two_command_line_folders_collides(tmp_path):
    a = touch(tmp_path / "a" / "kim.ipynb")
    b = touch(tmp_path / "b" / "kim.ipynb")
    subs = discover([a, b], tmp_path / "scratch")
    assert [s.student_id for s in subs] == ["kim~1", "kim~2"]
    assert [s.origin for s in subs] == [str(a), str(b)]
    assert all(s.refusal.code == "id_collision" for s in subs)


def test_a_zip_cannot_claim_the_id_of_a_notebook_inside_it(tmp_path):
    touch(tmp_path / "in" / "victim_kim.ipynb", NOTEBOOK + " ")
    make_zip(tmp_path / "in" / "attacker.zip", {"victim_kim.ipynb": NOTEBOOK, "../victim_kim.ipynb": "x"})
    make_zip(tmp_path / "in" / "sneaky.zip", {"victim_kim.ipynb": NOTEBOOK})
    subs = _by_id(discover([tmp_path / "in"], tmp_path / "scratch"))
    assert sorted(subs) == ["attacker", "sneaky", "victim_kim"]
    assert subs["victim_kim"].path == tmp_path / "in" / "victim_kim.ipynb"
    assert subs["victim_kim"].refusal is None
    # The zip's notebook is graded, under the zip's id only.
    assert subs["sneaky"].refusal is None and tmp_path / "scratch" in subs["sneaky"].path.parents
    assert subs["attacker"].refusal.code == "archive_unsafe_member"


def test_a_zip_named_like_a_notebook_beside_it_collides_and_is_not_opened(tmp_path):
    touch(tmp_path / "in" / "kim.ipynb")
    make_zip(tmp_path / "in" / "kim.zip", {"hw.ipynb": NOTEBOOK})
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [s.refusal.code for s in subs] == ["id_collision", "id_collision"]
    assert not list((tmp_path / "scratch").glob("archive-*"))


def test_a_refused_id_cannot_be_claimed_by_a_name(tmp_path):
    touch(tmp_path / "in" / "kim.ipynb")
    touch(tmp_path / "in" / "KIM.ipynb")
    touch(tmp_path / "in" / "kim~1.ipynb")
    subs = _by_id(discover([tmp_path / "in"], tmp_path / "scratch"))
    assert subs["kim_1"].refusal is None
    assert {subs["KIM~1"].refusal.code, subs["kim~2"].refusal.code} == {"id_collision"}


def test_submissions_named_after_the_outputs_own_files_get_ids_of_their_own(tmp_path):
    for name in ("gradebook.sqlite", "summary.csv", "dashboard.html", "students"):
        touch(tmp_path / "in" / f"{name}.ipynb")
    subs = _by_id(discover([tmp_path / "in"], tmp_path / "scratch"))
    assert sorted(subs) == ["student-dashboard.html", "student-gradebook.sqlite",
                            "student-students", "student-summary.csv"]
    assert all(s.refusal is None for s in subs.values())


def test_control_characters_and_formulas_never_reach_an_id(tmp_path):
    touch(tmp_path / "in" / "=HYPERLINK(1)\x1b[2J.ipynb")
    touch(tmp_path / "in" / "\u202ekim.ipynb")
    touch(tmp_path / "in" / "-rf.ipynb")
    make_zip(tmp_path / "bulk.zip", {"=cmd|'calc'!A1/hw.ipynb": NOTEBOOK, "lee\r\n/hw.ipynb": NOTEBOOK})
    subs = _by_id(discover([tmp_path / "in", tmp_path / "bulk.zip"], tmp_path / "scratch"))
    assert sorted(subs) == ["HYPERLINK_1_2J", "cmd_calc_A1", "kim", "lee", "rf"]

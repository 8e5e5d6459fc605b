"""How does the grader find submissions in what an instructor points it at?"""

import os
import zipfile
from pathlib import Path

import pytest

from autograder.feedback import msg
from autograder.submissions import Caps, SubmissionPathError, discover

from .builders import NOTEBOOK, files_under, is_inert, make_zip, replace_name_bytes, touch, zip_bytes


def _ids(subs):
    return [s.student_id for s in subs]


def test_flat_folder_uses_file_stems_as_ids(tmp_path):
    touch(tmp_path / "in" / "김민수.ipynb")
    touch(tmp_path / "in" / "lee.ipynb")
    touch(tmp_path / "in" / ".ipynb_checkpoints" / "lee-checkpoint.ipynb")
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert _ids(subs) == ["lee", "김민수"]
    assert all(s.refusal is None for s in subs)


def test_folder_per_student_uses_folder_names(tmp_path):
    touch(tmp_path / "in" / "student_a" / "hw.ipynb")
    touch(tmp_path / "in" / "student_b" / "nested" / "ch04.ipynb")
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [(s.student_id, s.path.name) for s in subs] == [("student_a", "hw.ipynb"),
                                                           ("student_b", "ch04.ipynb")]


def test_a_student_folder_without_notebook_still_gets_a_submission(tmp_path):
    (tmp_path / "in" / "empty_student").mkdir(parents=True)
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert _ids(subs) == ["empty_student"]
    assert subs[0].path.is_dir() and subs[0].refusal is None


def test_a_student_folder_with_several_notebooks_grades_the_newest(tmp_path):
    old = touch(tmp_path / "in" / "kim" / "b_old.ipynb")
    new = touch(tmp_path / "in" / "kim" / "a_new.ipynb")
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(new, (2_000_000, 2_000_000))
    # A classmate beside kim: a class folder holding kim's folder alone is read as the
    # class (test_single_folder.py), kim's notebooks as two students.
    touch(tmp_path / "in" / "lee" / "hw.ipynb")
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [(s.student_id, s.path.name) for s in subs] == [("kim", "a_new.ipynb"), ("lee", "hw.ipynb")]


def test_a_zip_on_the_command_line_is_a_class_unpacked_outside_the_course_folder(tmp_path):
    archive = make_zip(tmp_path / "course" / "bulk.zip",
                       {"kim/ch04.ipynb": NOTEBOOK, "park/ch04.ipynb": NOTEBOOK,
                        "__MACOSX/kim/._ch04.ipynb": "resource fork"})
    subs = discover([archive], tmp_path / "scratch")
    assert _ids(subs) == ["kim", "park"]
    assert all(tmp_path / "scratch" in s.path.parents for s in subs)
    assert [s.origin for s in subs] == [f"{archive}/kim/ch04.ipynb", f"{archive}/park/ch04.ipynb"]
    assert files_under(tmp_path / "course") == {"bulk.zip"}


def test_an_lms_zip_of_per_student_zips_gives_each_inner_zip_its_own_id(tmp_path):
    bulk = make_zip(tmp_path / "bulk.zip", {
        "kim_2024001.zip": zip_bytes({"hw/ch04.ipynb": NOTEBOOK}),
        "park_2024002.zip": zip_bytes({"ch04.ipynb": NOTEBOOK, "data/mnist.csv": "1,2"}),
    })
    subs = discover([bulk], tmp_path / "scratch")
    assert [(s.student_id, s.path.name, s.refusal) for s in subs] == [
        ("kim_2024001", "ch04.ipynb", None), ("park_2024002", "ch04.ipynb", None)]


def test_a_student_zip_with_several_notebooks_grades_the_newest_by_the_zips_own_dates(tmp_path):
    archive = tmp_path / "in" / "kim.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("ch04_final.ipynb", (2024, 5, 2, 12, 0, 0)), NOTEBOOK)
        zf.writestr(zipfile.ZipInfo("ch04_draft.ipynb", (2024, 5, 1, 12, 0, 0)), NOTEBOOK)
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [(s.student_id, s.path.name) for s in subs] == [("kim", "ch04_final.ipynb")]


def test_a_moodle_folder_holding_the_students_zip_grades_the_notebook_inside(tmp_path):
    make_zip(tmp_path / "in" / "kim_assignsubmission_file" / "upload.zip", {"ch04.ipynb": NOTEBOOK})
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [(s.student_id, s.path.name, s.refusal) for s in subs] == [
        ("kim_assignsubmission_file", "ch04.ipynb", None)]


def test_cp949_member_names_without_the_utf8_flag_stay_korean(tmp_path):
    archive = make_zip(tmp_path / "bulk.zip", {"abcdef.ipynb": NOTEBOOK})
    replace_name_bytes(archive, "abcdef", "김민수".encode("cp949"))
    subs = discover([archive], tmp_path / "scratch")
    assert _ids(subs) == ["김민수"]


def test_missing_path_is_misuse(tmp_path):
    with pytest.raises(SubmissionPathError) as raised:
        discover([tmp_path / "nope.ipynb"], tmp_path / "scratch")
    assert raised.value.message == msg("submissions.no_such_path", path=tmp_path / "nope.ipynb")


def test_a_symlink_in_a_class_folder_is_refused_wherever_it_points(tmp_path):
    real = touch(tmp_path / "in" / "lee.ipynb")
    secret = touch(tmp_path / "outside" / "answers.ipynb")
    (tmp_path / "in" / "copycat.ipynb").symlink_to(real)
    (tmp_path / "in" / "thief.ipynb").symlink_to(secret)
    (tmp_path / "in" / "dirlink").symlink_to(tmp_path / "outside", target_is_directory=True)
    subs = {s.student_id: s for s in discover([tmp_path / "in"], tmp_path / "scratch")}
    assert sorted(subs) == ["copycat", "dirlink", "lee", "thief"]
    assert subs["lee"].refusal is None
    for name in ("copycat", "thief", "dirlink"):
        assert subs[name].refusal.code == "symlink"
        assert is_inert(subs[name].path), "a consumer ignoring the refusal reads nothing"
        assert subs[name].origin.startswith(str(tmp_path / "in" / name))


def test_symlinks_inside_a_student_folder_are_not_candidates(tmp_path):
    secret = touch(tmp_path / "outside" / "answers.ipynb")
    (tmp_path / "in" / "kim").mkdir(parents=True)
    (tmp_path / "in" / "kim" / "hw.ipynb").symlink_to(secret)
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [(s.student_id, s.path, s.refusal) for s in subs] == [("kim", tmp_path / "in" / "kim", None)]


def test_the_instructors_own_symlink_on_the_command_line_is_followed(tmp_path):
    touch(tmp_path / "real_class" / "kim.ipynb")
    (tmp_path / "class").symlink_to(tmp_path / "real_class", target_is_directory=True)
    assert _ids(discover([tmp_path / "class"], tmp_path / "scratch")) == ["kim"]


def test_a_fifo_in_a_class_folder_is_refused_without_blocking(tmp_path):
    touch(tmp_path / "in" / "kim.ipynb")
    os.mkfifo(tmp_path / "in" / "pipe.ipynb")
    subs = {s.student_id: s for s in discover([tmp_path / "in"], tmp_path / "scratch")}
    assert subs["kim"].refusal is None
    assert subs["pipe"].refusal.code == "not_a_file"


def test_a_student_folder_with_too_many_files_is_refused(tmp_path):
    for n in range(5):
        touch(tmp_path / "in" / "kim" / f"f{n}.txt", "x")
    touch(tmp_path / "in" / "lee" / "hw.ipynb")
    subs = {s.student_id: s for s in discover([tmp_path / "in"], tmp_path / "scratch",
                                              Caps(folder_files=3))}
    assert subs["kim"].refusal.code == "too_many_files"
    assert subs["lee"].refusal is None


def test_a_class_folders_readme_and_requirements_are_not_students(tmp_path, caplog):
    """Are a class folder's README.md and requirements.txt skipped with one line, while the
    students' notebooks and .py files are graded?"""
    root = tmp_path / "in"
    for name in ("kim.ipynb", "lee.py", "README.md", "requirements.txt"):
        touch(root / name)
    subs = discover([root], tmp_path / "scratch")
    assert _ids(subs) == ["kim", "lee"]
    lines = [r.getMessage() for r in caplog.records if "README.md" in r.getMessage()]
    assert len(lines) == 1 and "requirements.txt" in lines[0]

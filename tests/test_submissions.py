"""How does the grader find submissions in what an instructor points it at?"""

import zipfile
from pathlib import Path

import pytest

from autograder.submissions import SubmissionPathError, discover


def _touch(path: Path, text: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_flat_folder_uses_file_stems_as_ids(tmp_path):
    _touch(tmp_path / "in" / "김민수.ipynb")
    _touch(tmp_path / "in" / "lee.ipynb")
    _touch(tmp_path / "in" / ".ipynb_checkpoints" / "lee-checkpoint.ipynb")
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [s.student_id for s in subs] == ["lee", "김민수"]


def test_folder_per_student_uses_folder_names(tmp_path):
    _touch(tmp_path / "in" / "student_a" / "hw.ipynb")
    _touch(tmp_path / "in" / "student_b" / "nested" / "ch04.ipynb")
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [(s.student_id, s.path.name) for s in subs] == [("student_a", "hw.ipynb"),
                                                           ("student_b", "ch04.ipynb")]


def test_a_student_folder_without_notebook_still_gets_a_submission(tmp_path):
    (tmp_path / "in" / "empty_student").mkdir(parents=True)
    subs = discover([tmp_path / "in"], tmp_path / "scratch")
    assert [s.student_id for s in subs] == ["empty_student"]
    assert subs[0].path.is_dir()


def test_zip_is_unpacked_outside_the_course_folder(tmp_path):
    archive = tmp_path / "course" / "bulk.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("kim/ch04.ipynb", "{}")
        zf.writestr("park/ch04.ipynb", "{}")
    subs = discover([archive], tmp_path / "scratch")
    assert [s.student_id for s in subs] == ["kim", "park"]
    assert all(tmp_path / "scratch" in s.path.parents for s in subs)
    assert sorted(p.name for p in (tmp_path / "course").iterdir()) == ["bulk.zip"]


def test_zip_member_escaping_the_folder_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escaped.ipynb", "{}")
    with pytest.raises(SubmissionPathError, match="outside"):
        discover([archive], tmp_path / "scratch")
    assert not (tmp_path / "escaped.ipynb").exists()


def test_missing_path_is_misuse(tmp_path):
    with pytest.raises(SubmissionPathError, match="no such file"):
        discover([tmp_path / "nope.ipynb"], tmp_path / "scratch")


def test_duplicate_ids_are_made_unique(tmp_path):
    a = _touch(tmp_path / "a" / "kim.ipynb")
    b = _touch(tmp_path / "b" / "kim.ipynb")
    subs = discover([a, b], tmp_path / "scratch")
    assert [s.student_id for s in subs] == ["kim", "kim-2"]

"""Is what operating systems and editors leave beside a class's files nobody's submission?

Finder zips carry __MACOSX/._name forks and .DS_Store; Windows leaves Thumbs.db and
desktop.ini; Office leaves ~$name lock files; Jupyter .ipynb_checkpoints/. In a class
folder, a class zip, a student's folder or a student's own zip, none of them is a
student, and none of them is ever the file graded.
"""

import os

from autograder.submissions import discover, discover_one

from .builders import NOTEBOOK, make_zip, touch

FORK = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x00"
JUNK = {"__MACOSX/._kim.ipynb": FORK, ".DS_Store": b"\0\0\0\1Bud1", "Thumbs.db": b"\xd0\xcf\x11\xe0",
        "desktop.ini": "[.ShellClassInfo]", "~$report.docx": b"owner", "._kim.ipynb": FORK,
        "DESKTOP.INI": "[.ShellClassInfo]"}


def _make_old(path):
    os.utime(path, (1_000_000, 1_000_000))   # every piece of junk is newer than the work


def test_junk_in_a_class_folder_is_no_student(tmp_path):
    _make_old(touch(tmp_path / "class" / "kim.ipynb"))
    for name, data in JUNK.items():
        path = tmp_path / "class" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    subs = discover([tmp_path / "class"], tmp_path / "scratch")
    assert [(s.student_id, s.path.name) for s in subs] == [("kim", "kim.ipynb")]


def test_junk_in_a_class_zip_and_in_students_zips_is_never_graded(tmp_path):
    inner = {"hw/hw.ipynb": NOTEBOOK, "__MACOSX/hw/._hw.ipynb": FORK, "hw/._hw.ipynb": FORK,
             "hw/.DS_Store": b"\0", "hw/~$hw.ipynb": b"lock", "hw/Thumbs.db": b"\0"}
    park_zip = make_zip(tmp_path / "build" / "park.zip", inner).read_bytes()
    bulk = make_zip(tmp_path / "bulk.zip", {
        "kim/hw.ipynb": NOTEBOOK, "__MACOSX/kim/._hw.ipynb": FORK, "kim/desktop.ini": "x",
        "park.zip": park_zip, "__MACOSX/._park.zip": FORK, "Thumbs.db": b"\0", "~$grades.xlsx": b"x"})
    subs = discover([bulk], tmp_path / "scratch")
    assert [(s.student_id, s.path.name, s.refusal) for s in subs] == [
        ("kim", "hw.ipynb", None), ("park", "hw.ipynb", None)]
    assert subs[1].origin == f"{bulk}/park.zip/hw/hw.ipynb"


def test_junk_in_a_students_folder_is_never_the_file_graded(tmp_path):
    _make_old(touch(tmp_path / "class" / "kim" / "hw.ipynb"))
    for name in ("__MACOSX/._hw.ipynb", "._hw.ipynb", "~$hw.ipynb", ".ipynb_checkpoints/hw-checkpoint.ipynb"):
        touch(tmp_path / "class" / "kim" / name)
    subs = discover([tmp_path / "class"], tmp_path / "scratch")
    assert [(s.student_id, s.origin) for s in subs] == [("kim", f"{tmp_path / 'class'}/kim/hw.ipynb")]


def test_one_folder_names_the_file_graded_and_the_ones_passed_over(tmp_path):
    for name in ("b.ipynb", "a.ipynb", "__MACOSX/._a.ipynb", "notes.py"):
        _make_old(touch(tmp_path / "submission" / name))
    sub, others = discover_one(tmp_path / "submission", tmp_path / "scratch")
    assert (sub.path.name, sub.origin, others) == ("a.ipynb", "a.ipynb", ("b.ipynb",))
    (tmp_path / "empty" / "__MACOSX").mkdir(parents=True)
    touch(tmp_path / "empty" / "__MACOSX" / "._hw.ipynb")
    empty, none = discover_one(tmp_path / "empty", tmp_path / "scratch")
    assert empty.path == tmp_path / "empty" and none == ()     # pipeline: "no notebook"

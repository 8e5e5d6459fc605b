"""A class handed over as one folder: `DL과제_ch03.zip` holding `DL과제_ch03/kim.ipynb, ...`.

Zipping a folder (Finder's "Compress", Windows' "Send to > Compressed folder") puts the
folder itself at the top of the zip, often beside __MACOSX/ forks, and Korean Windows
writes the names in CP949 without the UTF-8 flag. Is that folder entered and read as the
class, while a student's own folder or zip stays one student?"""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from autograder.submissions import discover

from .builders import NOTEBOOK, make_zip, touch, zip_bytes

ROOT = Path(__file__).resolve().parents[2]
FORK = b"\0\5\26\7 AppleDouble"


def _ids(subs):
    return [s.student_id for s in subs]


def cp949_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    """A zip whose member names are CP949 bytes without the UTF-8 flag, as Korean Windows'
    built-in compressor writes them (zipfile itself would write UTF-8 and set the flag)."""
    placeholders = {}
    for number, name in enumerate(members):
        raw = name.encode("cp949")
        # A letter of its own first: no placeholder is a part of another.
        placeholder = chr(ord("a") + number) + "Z" * (len(raw) - 1)
        assert len(placeholder) == len(raw)
        placeholders[placeholder] = raw
    make_zip(path, {placeholder: members[name] for placeholder, name in zip(placeholders, members)})
    data = path.read_bytes()
    for placeholder, raw in placeholders.items():
        assert data.count(placeholder.encode("ascii")) == 2   # local header and directory
        data = data.replace(placeholder.encode("ascii"), raw)
    path.write_bytes(data)
    with zipfile.ZipFile(path) as zf:
        assert not any(info.flag_bits & 0x800 for info in zf.infolist())
    return path


def test_a_zipped_class_folder_with_cp949_names_and_macos_forks_is_the_class(tmp_path):
    archive = cp949_zip(tmp_path / "DL과제_ch03.zip", {
        "DL과제_ch03/김민수.ipynb": NOTEBOOK,
        "DL과제_ch03/이영희.ipynb": NOTEBOOK,
        "DL과제_ch03/park.ipynb": NOTEBOOK,
        "__MACOSX/DL과제_ch03/._김민수.ipynb": FORK,
        "__MACOSX/._DL과제_ch03": FORK,
        "DL과제_ch03/.DS_Store": b"\0\0\0\1Bud1",
    })
    subs = discover([archive], tmp_path / "scratch")
    assert _ids(subs) == ["park", "김민수", "이영희"]
    assert all(s.refusal is None and s.path.suffix == ".ipynb" for s in subs)
    assert subs[1].origin == f"{archive}/DL과제_ch03/김민수.ipynb"


def test_a_folder_holding_one_folder_of_student_folders_is_the_class(tmp_path):
    touch(tmp_path / "download" / "DL과제_ch03" / "김민수" / "hw.ipynb")
    touch(tmp_path / "download" / "DL과제_ch03" / "lee" / "nested" / "ch03.ipynb")
    touch(tmp_path / "download" / "DL과제_ch03" / "lee" / "common" / "layers.py", "x = 1\n")
    subs = discover([tmp_path / "download"], tmp_path / "scratch")
    assert [(s.student_id, s.path.name) for s in subs] == [("lee", "ch03.ipynb"), ("김민수", "hw.ipynb")]


def test_a_class_folder_two_levels_down_is_found(tmp_path):
    archive = make_zip(tmp_path / "export.zip", {
        "2024-2학기/DL과제_ch03/kim.ipynb": NOTEBOOK,
        "2024-2학기/DL과제_ch03/lee.ipynb": NOTEBOOK,
        "__MACOSX/2024-2학기/DL과제_ch03/._kim.ipynb": FORK,
        "2024-2학기/README.txt": "submitted on time",
    })
    subs = discover([archive], tmp_path / "scratch")
    assert _ids(subs) == ["kim", "lee"]
    assert subs[0].origin == f"{archive}/2024-2학기/DL과제_ch03/kim.ipynb"


def test_a_students_own_zip_in_the_entered_folder_stays_one_student(tmp_path):
    archive = make_zip(tmp_path / "DL과제_ch03.zip", {
        "DL과제_ch03/kim.zip": zip_bytes({"draft.ipynb": NOTEBOOK, "final.ipynb": NOTEBOOK}),
        "DL과제_ch03/lee.ipynb": NOTEBOOK,
    })
    subs = discover([archive], tmp_path / "scratch")
    assert _ids(subs) == ["kim", "lee"]
    assert subs[0].path.suffix == ".ipynb" and subs[0].refusal is None


def test_one_students_folder_with_the_books_helpers_stays_one_student(tmp_path):
    """One notebook beside the book's common/ and dataset/ modules is a student's work,
    not a class of three."""
    archive = make_zip(tmp_path / "kim.zip", {
        "kim/hw.ipynb": NOTEBOOK,
        "kim/common/layers.py": "x = 1\n",
        "kim/common/functions.py": "y = 2\n",
        "kim/dataset/mnist.py": "z = 3\n",
    })
    subs = discover([archive], tmp_path / "scratch")
    assert [(s.student_id, s.path.name) for s in subs] == [("kim", "hw.ipynb")]


def test_a_single_moodle_students_folder_is_not_entered(tmp_path):
    archive = make_zip(tmp_path / "bulk.zip", {
        "윤지호_123456_assignsubmission_file_/hw.ipynb": NOTEBOOK,
        "윤지호_123456_assignsubmission_file_/hw_v2.ipynb": NOTEBOOK,
    })
    subs = discover([archive], tmp_path / "scratch")
    assert _ids(subs) == ["윤지호_123456"]
    assert subs[0].identity.lms == "moodle"


def test_a_moodle_download_zipped_again_in_its_folder_keeps_moodle_ids(tmp_path):
    archive = make_zip(tmp_path / "again.zip", {
        "DL-ch03-12345/윤지호_123456_assignsubmission_file_/hw.ipynb": NOTEBOOK,
        "DL-ch03-12345/이영희_123457_assignsubmission_file_/ch03.ipynb": NOTEBOOK,
        "__MACOSX/DL-ch03-12345/._윤지호_123456_assignsubmission_file_": FORK,
    })
    subs = discover([archive], tmp_path / "scratch")
    assert _ids(subs) == ["윤지호_123456", "이영희_123457"]
    assert {s.identity.lms for s in subs} == {"moodle"}


def test_grading_a_zipped_class_folder_grades_each_notebook(tmp_path):
    """Through the command line, as the instructor runs it."""
    example = (ROOT / "examples" / "kim_minsu_ch03.ipynb").read_bytes()
    archive = cp949_zip(tmp_path / "DL과제_ch03.zip", {
        "DL과제_ch03/김민수.ipynb": example, "DL과제_ch03/lee.ipynb": example,
        "__MACOSX/DL과제_ch03/._lee.ipynb": FORK})
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(archive),
                           "--out", str(out), "--jobs", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    graded = sorted(p.parent.name for p in (out / "students").glob("*/results.json"))
    assert graded == ["lee", "김민수"]
    for student in graded:
        result = json.loads((out / "students" / student / "results.json").read_text(encoding="utf-8"))
        assert result["score"] == result["dlfs"]["max_score"] > 0

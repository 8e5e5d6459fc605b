"""What does Gradescope's run grade in the submission folder a student's upload becomes?

Gradescope unpacks an upload into <root>/submission/ as it is: a zip made with macOS
Finder brings __MACOSX/._name.ipynb resource forks along, a .py is a file of its own, a
symlink is whatever the upload made it. Each test builds such a folder and asserts which
file was graded, through `run` with a fresh root (as run_autograder calls it).
"""

import pytest
import json
import os
import struct
import zipfile
from pathlib import Path

import nbformat

from autograder.gradescope.run import run

pytestmark = pytest.mark.sandbox

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kim_minsu_ch03.ipynb"


def apple_double(name: str) -> bytes:
    """The bytes macOS writes to __MACOSX/._name: an AppleDouble header, Finder info and an
    empty resource fork. Not JSON, and named like the notebook (ending in .ipynb)."""
    finder_info = b"TEXT" + b"ttxt" + b"\0" * 24
    entries = [(9, finder_info), (2, b"\0" * 286)]   # 9: Finder info, 2: resource fork
    header = struct.pack(">II16sH", 0x00051607, 0x00020000, b"Mac OS X        ", len(entries))
    offset = len(header) + 12 * len(entries)
    table, body = b"", b""
    for kind, data in entries:
        table += struct.pack(">III", kind, offset + len(body), len(data))
        body += data
    return header + table + body


def _root(tmp_path: Path) -> Path:
    (tmp_path / "submission").mkdir(parents=True)
    (tmp_path / "results").mkdir()
    return tmp_path


def _python_source(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "code") + "\n"


def _stored(root: Path) -> dict:
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_a_finder_zip_unpacked_grades_the_notebook_not_its_resource_fork(tmp_path):
    root = _root(tmp_path)
    notebook = root / "submission" / "hw.ipynb"
    notebook.write_bytes(EXAMPLE.read_bytes())
    fork = root / "submission" / "__MACOSX" / "._hw.ipynb"
    fork.parent.mkdir()
    fork.write_bytes(apple_double("hw.ipynb"))
    (root / "submission" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1" + b"\0" * 64)
    (root / "submission" / "._hw.ipynb").write_bytes(apple_double("hw.ipynb"))
    os.utime(notebook, (1_000_000, 1_000_000))       # the forks are newer than the notebook
    data = run(root, "ch03")
    assert data["extra_data"]["dlfs"]["status"] == "graded" and data["extra_data"]["dlfs"]["source"] == "hw.ipynb"
    assert data["score"] == data["extra_data"]["dlfs"]["max_score"] > 0
    assert "채점한 파일: `hw.ipynb`" in data["output"] and "채점하지 않은" not in data["output"]
    assert _stored(root) == data


def test_a_finder_zip_left_packed_grades_the_notebook_inside(tmp_path):
    root = _root(tmp_path)
    with zipfile.ZipFile(root / "submission" / "upload.zip", "w") as zf:
        zf.writestr("hw/hw.ipynb", EXAMPLE.read_bytes())
        zf.writestr("__MACOSX/hw/._hw.ipynb", apple_double("hw.ipynb"))
        zf.writestr("hw/.DS_Store", b"\0\0\0\1Bud1")
    data = run(root, "ch03")
    assert data["extra_data"]["dlfs"]["source"] == "upload.zip/hw/hw.ipynb"
    assert data["score"] == data["extra_data"]["dlfs"]["max_score"] > 0


def test_a_lone_py_is_graded_as_the_command_line_grades_it(tmp_path):
    root = _root(tmp_path)
    (root / "submission" / "homework.py").write_text(_python_source(EXAMPLE), encoding="utf-8")
    data = run(root, "ch03")
    assert data["extra_data"]["dlfs"]["status"] == "graded", data["output"]
    assert data["score"] == data["extra_data"]["dlfs"]["max_score"] > 0
    assert "채점한 파일: `homework.py`" in data["output"]


def test_a_symlink_is_never_followed_out_of_the_submission(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "answers.ipynb").write_bytes(EXAMPLE.read_bytes())
    root = _root(tmp_path / "root")
    (root / "submission" / "hw.ipynb").symlink_to(outside / "answers.ipynb")
    (root / "submission" / "folder").symlink_to(outside, target_is_directory=True)
    data = run(root, "ch03")
    assert data["score"] == 0 and data["extra_data"]["dlfs"]["error"]["code"] == "no_notebook"
    assert "answers" not in json.dumps(data)


def test_an_upload_of_links_only_is_told_its_links_were_passed_over(tmp_path):
    """"No notebook" alone would leave the student wondering where their hw.ipynb went:
    the output names the links, not what they point to, in the course's language."""
    from autograder.messages import say
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "answers.ipynb").write_bytes(EXAMPLE.read_bytes())
    root = _root(tmp_path / "root")
    (root / "submission" / "hw.ipynb").symlink_to(outside / "answers.ipynb")
    (root / "submission" / "sub").mkdir()
    (root / "submission" / "sub" / "folder").symlink_to(outside, target_is_directory=True)
    (root / "submission" / "__MACOSX").mkdir()
    (root / "submission" / "__MACOSX" / "._hw.ipynb").symlink_to(outside / "answers.ipynb")
    data = run(root, "ch03")
    assert data["extra_data"]["dlfs"]["error"]["code"] == "no_notebook"
    assert say("gradescope.links_skipped", lang="ko", names="`hw.ipynb`, `sub/folder`") in data["output"]
    assert "answers" not in json.dumps(data) and "._hw" not in data["output"]


def test_the_links_line_is_said_in_the_courses_language(tmp_path):
    from autograder.gradescope.output import preface
    from autograder.submissions import discover_one
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "hw.ipynb").symlink_to(EXAMPLE)
    submission, others = discover_one(tmp_path / "submission", tmp_path / "scratch")
    english = preface(submission, others, False, "ch03.ipynb", "en", ("hw.ipynb",))
    korean = preface(submission, others, False, "ch03.ipynb", "ko", ("hw.ipynb",))
    assert english == ["Links in the submission are never followed, so these were not read: `hw.ipynb`. "
                       "Please submit the file itself, not a link to it."]
    assert len(korean) == 1 and "`hw.ipynb`" in korean[0] and "링크" in korean[0] and "Links" not in korean[0]


def test_a_symlink_beside_the_notebook_is_not_a_candidate(tmp_path):
    outside = tmp_path / "elsewhere.ipynb"
    outside.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    root = _root(tmp_path / "root")
    real = root / "submission" / "mine.ipynb"
    real.write_bytes(EXAMPLE.read_bytes())
    os.utime(real, (1_000_000, 1_000_000))
    (root / "submission" / "zz_newer_link.ipynb").symlink_to(outside)
    data = run(root, "ch03")
    assert data["extra_data"]["dlfs"]["source"] == "mine.ipynb" and data["score"] == data["extra_data"]["dlfs"]["max_score"]
    assert "채점하지 않은" not in data["output"]


def test_two_notebooks_grade_one_chosen_the_same_way_every_time_and_say_so(tmp_path):
    root = _root(tmp_path)
    for name in ("b_draft.ipynb", "a_final.ipynb", "sub/a_final.ipynb"):
        path = root / "submission" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(EXAMPLE.read_bytes())
        os.utime(path, (1_000_000, 1_000_000))    # same time: the path decides
    first = run(root, "ch03")
    assert first["extra_data"]["dlfs"]["source"] == "a_final.ipynb"
    assert "채점한 파일: `a_final.ipynb`" in first["output"]
    assert "채점하지 않은 파일: `b_draft.ipynb`, `sub/a_final.ipynb`" in first["output"]
    assert "가장 최근에 수정한 파일" in first["output"]
    assert run(root, "ch03")["extra_data"]["dlfs"]["source"] == "a_final.ipynb"
    newest = root / "submission" / "b_draft.ipynb"
    os.utime(newest, (2_000_000, 2_000_000))
    assert run(root, "ch03")["extra_data"]["dlfs"]["source"] == "b_draft.ipynb"


def test_last_weeks_notebook_is_graded_as_this_assignment_with_a_note(tmp_path):
    root = _root(tmp_path)
    nb = nbformat.read(EXAMPLE, as_version=4)
    nb.metadata["dlfs"] = {"assignment": "ch02"}
    nbformat.write(nb, root / "submission" / "hw.ipynb")
    data = run(root, "ch03")
    dlfs = data["extra_data"]["dlfs"]
    assert dlfs["assignment_id"] == "ch03" and data["score"] == dlfs["max_score"]
    assert "메타데이터는 ch02 과제" in data["output"] and "메타데이터는 ch02 과제" in dlfs["chapter_note"]


def test_the_notebook_named_like_the_published_one_is_graded_before_a_newer_draft(tmp_path):
    """The published notebook is ch03_neural_networks.ipynb: a draft saved after it, or a
    copy with another name, is passed over, and the output says why."""
    root = _root(tmp_path)
    real = root / "submission" / "CH03_Neural_Networks.ipynb"    # the name, whatever its case
    real.write_bytes(EXAMPLE.read_bytes())
    os.utime(real, (1_000_000, 1_000_000))
    nb = nbformat.read(EXAMPLE, as_version=4)
    nb.cells = nb.cells[:1]                                     # a newer draft: nothing graded in it
    nbformat.write(nb, root / "submission" / "scratch.ipynb")
    data = run(root, "ch03")
    dlfs = data["extra_data"]["dlfs"]
    assert dlfs["source"] == "CH03_Neural_Networks.ipynb" and data["score"] == dlfs["max_score"] > 0
    assert "채점하지 않은 파일: `scratch.ipynb`" in data["output"]
    assert "과제 노트북의 이름(`ch03_neural_networks.ipynb`)" in data["output"]

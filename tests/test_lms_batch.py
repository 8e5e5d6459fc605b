"""LMS downloads graded end to end: one row and one history per real student."""

import pytest
import csv
import json
import shutil
from pathlib import Path

import nbformat

from autograder.cli import main

pytestmark = pytest.mark.sandbox

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _changed_copy(source: Path, target: Path) -> Path:
    """The same notebook with one more cell: other bytes, as a resubmission has."""
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('resubmitted')"))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def test_a_canvas_resubmission_follows_one_student_across_downloads(tmp_path):
    """Do two Canvas downloads (the second with a resubmission under a new attachment id)
    grade into one student: one summary row, one history of two runs, the page titled by name?"""
    out = tmp_path / "graded"
    first = tmp_path / "download1"
    first.mkdir()
    shutil.copy(EXAMPLES / "kim_minsu_ch03.ipynb", first / "kimminsu_1001_5001_ch03.ipynb")
    shutil.copy(EXAMPLES / "choi_broken_upload.ipynb", first / "choichaeyeon_LATE_1005_5003_hw.ipynb")
    assert main(["grade", str(first), "--out", str(out), "--assignment", "ch03"]) == 0

    second = tmp_path / "download2"
    second.mkdir()
    shutil.copy(first / "kimminsu_1001_5001_ch03.ipynb", second / "kimminsu_1001_5001_ch03.ipynb")
    _changed_copy(EXAMPLES / "kim_minsu_ch03.ipynb", second / "kimminsu_1001_5090_ch03-1.ipynb")
    assert main(["grade", str(second), "--out", str(out), "--assignment", "ch03"]) == 0

    students = sorted(p.name for p in (out / "students").iterdir())
    assert students == ["choichaeyeon_1005", "kimminsu_1001"]
    with open(out / "summary.csv", encoding="utf-8-sig") as f:
        rows = [row for row in csv.reader(f)][1:]
    assert sorted(row[0] for row in rows) == students
    kim = json.loads((out / "students" / "kimminsu_1001" / "results.json").read_text())
    assert kim["dlfs"]["identity"]["lms_id"] == "1001"
    assert kim["dlfs"]["identity"]["original_name"] == "ch03-1.ipynb"
    assert kim["dlfs"]["superseded"] and kim["dlfs"]["superseded"][0].endswith("kimminsu_1001_5001_ch03.ipynb")
    assert len(list((out / "students" / "kimminsu_1001" / "history").iterdir())) >= 1
    page = (out / "students" / "kimminsu_1001" / "feedback.md").read_text(encoding="utf-8")
    assert page.startswith("# kimminsu — ch03")
    assert "ch03-1.ipynb" in page
    choi = (out / "students" / "choichaeyeon_1005" / "feedback.md").read_text(encoding="utf-8")
    assert "늦은 제출" in choi


def test_a_moodle_zip_of_folders_names_students_by_name_and_participant(tmp_path):
    """Is a Moodle download's `Full Name_participantid_assignsubmission_file_` folder graded
    as that person, titled by their name?"""
    root = tmp_path / "moodle"
    folder = root / "윤지호_1007_assignsubmission_file_"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "choi_broken_upload.ipynb", folder / "ch03 과제.ipynb")
    out = tmp_path / "graded"
    assert main(["grade", str(root), "--out", str(out), "--assignment", "ch03", "--lang", "en"]) == 0
    page = (out / "students" / "윤지호_1007" / "feedback.md").read_text(encoding="utf-8")
    assert page.startswith("# 윤지호 — ")
    assert "File graded: ch03 과제.ipynb" in page

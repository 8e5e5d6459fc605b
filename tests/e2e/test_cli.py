"""Does `python -m autograder grade` behave as an instructor expects on the bundled examples?"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _grade(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "autograder", "grade", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("graded")
    proc = _grade(EXAMPLES, "--out", out, "--jobs", "2")
    return out, proc


def _results(out: Path, student: str) -> dict:
    return json.loads((out / "students" / student / "results.json").read_text(encoding="utf-8"))


def test_examples_grade_with_exit_zero_and_a_table(graded):
    out, proc = graded
    assert proc.returncode == 0, proc.stderr
    for student in ("kim_minsu_ch03", "park_jiwoo_ch04", "lee_younghee_ch04", "choi_broken_upload"):
        assert student in proc.stdout
        assert (out / "students" / student / "results.json").exists()
        assert (out / "students" / student / "feedback.md").exists()
        assert (out / "students" / student / "feedback.html").exists()


def test_perfect_examples_get_full_marks(graded):
    out, _ = graded
    for student, assignment in (("kim_minsu_ch03", "ch03"), ("park_jiwoo_ch04", "ch04")):
        results = _results(out, student)
        assert results["dlfs"]["assignment_id"] == assignment
        failed = [(t["name"], t["output"]) for t in results["tests"] if t["status"] != "passed"]
        assert not failed
        assert results["score"] == results["dlfs"]["max_score"] > 0


def test_the_examples_of_two_chapters_are_each_graded_as_their_own_and_warned(graded):
    """examples/ holds two ch03 and two ch04 notebooks: no chapter holds a majority, so
    each is graded as its own chapter without a note, and the console says why."""
    out, proc = graded
    assert _results(out, "yoon_jiho_ch03")["dlfs"]["assignment_id"] == "ch03"
    assert _results(out, "lee_younghee_ch04")["dlfs"]["assignment_id"] == "ch04"
    assert not _results(out, "kim_minsu_ch03")["dlfs"].get("chapter_note")
    assert "ch03 (2), ch04 (2)" in proc.stderr and "--assignment" in proc.stderr


def test_buggy_example_fails_where_it_is_wrong(graded):
    out, _ = graded
    results = _results(out, "lee_younghee_ch04")
    items = {i["item"]: i for i in results["dlfs"]["items"]}
    # softmax without max subtraction feeds simpleNet; CEE lacks the batch mean and label t;
    # numerical_diff is one-sided; MSE uses the mean; TwoLayerNet was never written.
    for item in ("cross_entropy_error", "numerical_diff", "mean_squared_error"):
        assert items[item]["status"] in ("partial", "zero"), items[item]
    assert items["TwoLayerNet"]["status"] == "missing"
    notes = results["dlfs"]["notes"]
    assert "ce_loss" in notes["cross_entropy_error"]
    assert results["dlfs"]["ingest"]["syntax_errors"], "the unclosed print( cell is reported"
    feedback = (out / "students" / "lee_younghee_ch04" / "feedback.md").read_text(encoding="utf-8")
    assert "cross_entropy_error" in feedback


def test_broken_upload_gets_an_error_result(graded):
    out, _ = graded
    results = _results(out, "choi_broken_upload")
    assert results["dlfs"]["status"] == "error"
    assert results["score"] == 0
    assert results["output"]


def test_summary_csv_and_gradebook(graded):
    out, _ = graded
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["student_id"] for r in rows) == sorted(
        ["choi_broken_upload", "kim_minsu_ch03", "lee_younghee_ch04", "park_jiwoo_ch04", "yoon_jiho_ch03"])
    db = sqlite3.connect(out / "gradebook.sqlite")
    assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 5


def test_regrade_reuses_results_and_loses_nothing(tmp_path):
    notebook = EXAMPLES / "park_jiwoo_ch04.ipynb"
    first = _grade(notebook, "--out", tmp_path)
    assert first.returncode == 0, first.stderr
    before = _results(tmp_path, "park_jiwoo_ch04")
    second = _grade(notebook, "--out", tmp_path)
    assert second.returncode == 0
    assert "cached" in second.stdout
    after = _results(tmp_path, "park_jiwoo_ch04")
    assert after["score"] == before["score"]
    assert after["dlfs"]["reused_run"] >= 1
    forced = _grade(notebook, "--out", tmp_path, "--force")
    assert forced.returncode == 0
    db = sqlite3.connect(tmp_path / "gradebook.sqlite")
    assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 3
    assert list((tmp_path / "students" / "park_jiwoo_ch04" / "history").iterdir()), "earlier results kept"


def test_misuse_exits_two(tmp_path):
    missing = _grade(tmp_path / "nope.ipynb", "--out", tmp_path / "o")
    assert missing.returncode == 2
    assert "그런 파일이나 폴더가 없습니다" in missing.stderr   # the console's default language
    unknown = _grade(EXAMPLES / "park_jiwoo_ch04.ipynb", "--assignment", "ch99", "--out", tmp_path / "o")
    assert unknown.returncode == 2
    assert "ch03" in unknown.stderr  # the message lists the known assignments


def test_a_broken_hidden_suite_stops_with_a_message_instead_of_grading_zeros(tmp_path):
    assignment = tmp_path / "chX_broken"
    (assignment / "suite").mkdir(parents=True)
    (assignment / "suite" / "test_softmax.py").write_text("def test_x(:\n", encoding="utf-8")
    (assignment / "assignment.toml").write_text(
        'id = "chX"\nversion = "1"\nsuite = "suite"\n[title]\nko = "깨진 과제"\nen = "Broken"\n'
        '[items]\nsoftmax = []\n', encoding="utf-8")
    proc = _grade(EXAMPLES / "park_jiwoo_ch04.ipynb", EXAMPLES / "kim_minsu_ch03.ipynb",
                  "--assignment", assignment, "--out", tmp_path / "out", "--jobs", "2")
    assert proc.returncode == 1
    assert "test_softmax" in proc.stderr
    assert not list((tmp_path / "out").glob("students/*/results.json")), "no one was graded zero"


def test_an_lms_zip_with_a_folder_per_student(tmp_path):
    import zipfile
    archive = tmp_path / "bulk_download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(EXAMPLES / "park_jiwoo_ch04.ipynb", "박지우_12345/과제4.ipynb")
        zf.write(EXAMPLES / "lee_younghee_ch04.ipynb", "이영희_67890/hw4.ipynb")
        zf.writestr("이영희_67890/.ipynb_checkpoints/hw4-checkpoint.ipynb", "{}")
    proc = _grade(archive, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    park = _results(tmp_path / "out", "박지우_12345")
    assert park["score"] == park["dlfs"]["max_score"] > 0
    assert _results(tmp_path / "out", "이영희_67890")["dlfs"]["status"] == "graded"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulk_download.zip", "out"]

"""Does the Gradescope zip, unpacked like Gradescope does, grade a submission into results.json?"""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.assignment import UnknownAssignment, load_assignment
from autograder.gradescope import run as runner, secret
from autograder.gradescope.build import build
from autograder.gradescope.run import run

pytestmark = pytest.mark.sandbox

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kim_minsu_ch03.ipynb"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return build("ch03", tmp_path_factory.mktemp("dist"))


def _fake_autograder(zip_path: Path, root: Path, notebook: Path | None) -> Path:
    """A folder laid out as Gradescope's /autograder: source/ unpacked, submission/, results/."""
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
        for info in zf.infolist():  # zipfile does not restore modes; Gradescope's unzip does
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(root / "source" / info.filename, mode)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    if notebook:
        shutil.copy(notebook, root / "submission" / "my homework.ipynb")
    return root


def _run(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(root / "source" / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True)


def test_the_zip_holds_the_scripts_at_its_root_and_the_grader(package):
    assert package.name == "ch03-gradescope.zip"
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in zf.infolist()}
        run_script = zf.read("run_autograder").decode()
    assert {"setup.sh", "pick_python.sh", "run_autograder", "requirements.txt", "autograder/pipeline.py",
            "autograder/report/templates/feedback.html.j2",
            "reference/ch03_neural_networks/assignment.toml"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert all(modes[script] & stat.S_IXUSR for script in ("run_autograder", "setup.sh", "pick_python.sh"))
    assert "--assignment ch03" in run_script and "AUTOGRADER_ROOT:-/autograder" in run_script


def test_an_unknown_assignment_builds_nothing(tmp_path):
    with pytest.raises(UnknownAssignment):
        build("ch99", tmp_path)
    with pytest.raises(ValueError):
        build("ch03; rm -rf /", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_run_autograder_writes_gradescopes_results_json(package, tmp_path):
    root = _fake_autograder(package, tmp_path, EXAMPLE)
    proc = _run(root)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert "dlfs" not in results and set(results["extra_data"]) == {"dlfs"}
    dlfs = results["extra_data"]["dlfs"]
    assert dlfs["status"] == "graded" and dlfs["assignment_id"] == "ch03"
    assert results["tests"] and results["score"] == dlfs["max_score"] == 50  # as `grade` gives it
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
    for test in results["tests"]:
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
    assert dlfs["source"] == "my homework.ipynb"
    # Tests in the order of the assignment's items, numbered 1, 2, ... that way.
    items = list(load_assignment("ch03").items)
    order = [items.index(t["tags"][0]) for t in results["tests"]]
    assert order == sorted(order) and len(set(order)) == len(items)
    assert [t["number"] for t in results["tests"]] == [str(n) for n in range(1, len(order) + 1)]
    assert results["output_format"] == "md"
    assert "채점한 파일: `my homework.ipynb`" in results["output"]
    assert "**점수: 50 / 50**" in results["output"]


def test_an_empty_submission_folder_gets_a_result_not_a_crash(package, tmp_path):
    root = _fake_autograder(package, tmp_path, None)
    proc = _run(root)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 0 and results["extra_data"]["dlfs"]["error"]["code"] == "no_notebook"
    assert results["output"].strip()     # the student reads why


def test_setup_can_be_skipped_and_checkpoints_are_not_the_notebook(package, tmp_path):
    root = _fake_autograder(package, tmp_path, EXAMPLE)
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_SKIP_SETUP="1")
    proc = subprocess.run([str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and "nothing installed" in proc.stdout
    (root / "submission" / ".ipynb_checkpoints").mkdir()
    (root / "submission" / ".ipynb_checkpoints" / "zz.ipynb").write_text("{}")
    assert run(root, "ch03")["extra_data"]["dlfs"]["source"] == "my homework.ipynb"


def test_a_non_utf8_name_and_a_failing_report_still_give_gradescope_a_results_json(tmp_path, monkeypatch):
    """Gradescope shows a student nothing without results.json: a CP949 file name, and a
    results.json that cannot be made in full, still leave one with the score."""
    submission = tmp_path / "submission"
    submission.mkdir()
    shutil.copy(Path(__file__).resolve().parents[2] / "examples" / "park_jiwoo_ch04.ipynb",
                submission / os.fsdecode("박지우".encode("cp949") + b".ipynb"))
    graded = []
    real_grade, real_to_dict = runner.grade, runner.to_dict

    def grade(prep, **kwargs):
        graded.append(real_grade(prep, **kwargs))
        return graded[-1]

    def to_dict(result, visibility=None, lang="ko"):
        if result.outcomes:
            raise RecursionError("maximum recursion depth exceeded")
        return real_to_dict(result, visibility, lang)
    monkeypatch.setattr(runner, "grade", grade)
    monkeypatch.setattr(runner, "to_dict", to_dict)
    run(tmp_path, "ch04")
    data = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert data["score"] == graded[0].points > 0 and data["tests"] == []
    assert data["extra_data"]["dlfs"]["source"].endswith("(cp949: 박지우.ipynb)")
    assert "채점한 파일" in data["output"]


def test_the_zip_carries_one_input_secret_kept_across_rebuilds(tmp_path):
    """Does a zip carry the secret its test inputs are drawn with, the same in a rebuilt zip
    (same bytes, so a regrade on Gradescope draws the same inputs) and another in another dist?"""
    first = build("ch03", tmp_path / "dist").read_bytes()
    again = build("ch03", tmp_path / "dist").read_bytes()
    other = build("ch03", tmp_path / "other")
    assert first == again
    with zipfile.ZipFile(tmp_path / "dist" / "ch03-gradescope.zip") as zf:
        shipped = zf.read(secret.SECRET_FILE)
        zf.extractall(tmp_path / "source")
    with zipfile.ZipFile(other) as zf:
        assert zf.read(secret.SECRET_FILE) != shipped
    assert len(shipped) == 64
    assert stat.S_IMODE((tmp_path / "dist" / f".{secret.SECRET_FILE}").stat().st_mode) == 0o600
    assert secret.input_secret(tmp_path / "source") == shipped

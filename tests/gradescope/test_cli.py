"""Is the Gradescope zip built, and graded inside Gradescope, through `python -m autograder
gradescope build|run`, and does the zip's run_autograder call that command?"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def _autograder(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_the_gradescope_command_lists_build_and_run():
    proc = _autograder("gradescope", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "{build,run}" in proc.stdout
    assert "gradescope" in _autograder("--help").stdout
    for command, options in (("build", ("--assignment", "--out")), ("run", ("--assignment", "--root"))):
        usage = _autograder("gradescope", command, "--help")
        assert usage.returncode == 0 and all(option in usage.stdout for option in options)


def test_build_writes_the_zip_whose_run_autograder_calls_gradescope_run(tmp_path):
    proc = _autograder("gradescope", "build", "--assignment", "ch03", "--out", str(tmp_path / "dist"))
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "dist" / "ch03-gradescope.zip"
    assert proc.stdout.strip() == str(target)
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        run_script = zf.read("run_autograder").decode()
    exec_line = [line for line in run_script.splitlines() if line.startswith("exec ")]
    assert exec_line == ['exec "$PYTHON" -m autograder gradescope run --root "$ROOT" --assignment ch03']
    # The scripts' templates travel with the grader, under the package that renders them.
    assert {"autograder/gradescope/run.py", "autograder/gradescope/templates/run_autograder.j2"} <= names
    assert not [n for n in names if n.startswith("autograder/report/gradescope")]


def test_an_unknown_assignment_is_misuse_and_builds_nothing(tmp_path):
    for assignment in ("ch99", "ch03; rm -rf /"):
        proc = _autograder("gradescope", "build", "--assignment", assignment, "--out", str(tmp_path))
        assert proc.returncode == 2 and proc.stderr.startswith("error: ")
    assert list(tmp_path.iterdir()) == []
    assert _autograder("gradescope").returncode == 2          # build or run must be named
    assert _autograder("gradescope", "run").returncode == 2   # --assignment is required


def test_run_through_the_command_writes_results_json(tmp_path):
    """`gradescope run` with an empty submission folder: a results.json saying why, exit 0."""
    (tmp_path / "submission").mkdir()
    proc = _autograder("gradescope", "run", "--root", str(tmp_path), "--assignment", "ch03")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "score 0 / 0"
    assert '"no_notebook"' in (tmp_path / "results" / "results.json").read_text(encoding="utf-8")

"""The README's two commands as a new user types them: an old Python, a download's name."""

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_OLD_PYTHON = '#!/bin/sh\nif [ "$1" = "-V" ]; then echo "Python 3.10.12"; exit 0; fi\nexit 1\n'
FAKE_PYENV_SHIM = ('#!/bin/sh\necho "pyenv: python3.10: command not found" >&2\necho >&2\n'
                   'echo "The \\`python3.10\' command exists in these Python versions:" >&2\n'
                   'echo "  3.10.13" >&2\nexit 127\n')


def _make(*args, cwd=ROOT, **env):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**__import__("os").environ, **env})


def test_an_old_python_stops_before_any_venv_is_made(tmp_path):
    """Does `make grade PYTHON=python3.10` stop at once with the command to use, and leave
    no half-made venv for the next run to trust?"""
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    old = tmp_path / "python3.10"
    old.write_text(FAKE_OLD_PYTHON)
    old.chmod(0o755)
    proc = _make("grade", f"PYTHON={old}", cwd=tmp_path)
    assert proc.returncode == 2
    assert "3.11" in proc.stderr and "PYTHON=python3.11" in proc.stderr and "3.10.12" in proc.stderr
    assert not (tmp_path / ".venv").exists()


def test_a_python_that_cannot_run_is_named_in_one_line(tmp_path):
    """Does a pyenv shim for a version that is not selected (exit 127, a paragraph on
    stderr) stop make with one line saying so, not the shim's whole paragraph?"""
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    shim = tmp_path / "python3.10"
    shim.write_text(FAKE_PYENV_SHIM)
    shim.chmod(0o755)
    proc = _make("grade", f"PYTHON={shim}", cwd=tmp_path)
    assert proc.returncode == 2
    said = [line for line in proc.stderr.splitlines() if not line.startswith("make")]
    assert said[0] == f"error: the grader needs Python 3.11 or newer, and {shim} is not runnable here " \
                      "(pyenv: python3.10: command not found)."
    assert "PYTHON=python3.11" in said[1] and len(said) == 2
    assert not (tmp_path / ".venv").exists()


def test_a_venv_of_an_old_python_is_rebuilt(tmp_path):
    """Is a .venv whose python is older than 3.11 removed before it is used again, even one
    an older Makefile stamped as installed (newer than requirements.txt)?"""
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").write_text(FAKE_OLD_PYTHON)
    (tmp_path / ".venv" / "bin" / "python").chmod(0o755)
    (tmp_path / ".venv" / ".runtime-installed").touch()
    old = tmp_path / "python3.10"
    old.write_text(FAKE_OLD_PYTHON)
    old.chmod(0o755)
    proc = _make("grade", f"PYTHON={old}", cwd=tmp_path)
    assert "rebuilding" in proc.stdout and proc.returncode == 2
    assert not (tmp_path / ".venv").exists()


@pytest.mark.sandbox
def test_make_grade_takes_a_download_named_with_spaces_parentheses_and_korean(tmp_path):
    """Does `make grade SUBMISSION="DL 과제 ch03 (1).zip" OUT="채점 결과"` grade that zip?"""
    download = tmp_path / "DL 과제 ch03 (1).zip"
    with zipfile.ZipFile(download, "w") as zf:
        zf.write(ROOT / "examples" / "kim_minsu_ch03.ipynb", "김민수.ipynb")
    out = tmp_path / "채점 결과 (1)"
    proc = _make("grade", f"SUBMISSION={download}", f"OUT={out}", "ASSIGNMENT=ch03")
    assert proc.returncode == 0, proc.stderr
    results = json.loads((out / "students" / "김민수" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == results["dlfs"]["max_score"] == 50


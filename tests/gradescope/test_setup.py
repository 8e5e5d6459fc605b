"""Does setup.sh pick an interpreter that runs and is Python 3.11 or later, and stop
clearly when there is none? Fake interpreters (shell scripts) on PATH stand in for what a
Gradescope image may hold: a pyenv shim that exits 127, an old python3, a good one."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.gradescope.build import build
from autograder.messages import say

# The setup script speaks the assignment's language (ch03: the default, Korean).
NO_PYTHON_KO = say("gradescope.install.no_python", "ko")

BASH = shutil.which("bash")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """The zip's scripts unpacked, modes restored as Gradescope's unzip does."""
    zip_path = build("ch03", tmp_path_factory.mktemp("dist"))
    folder = tmp_path_factory.mktemp("source")
    with zipfile.ZipFile(zip_path) as zf:
        for script in ("setup.sh", "pick_python.sh"):
            zf.extract(script, folder)
            os.chmod(folder / script, 0o755)
    return folder


def _fake(bin_dir: Path, name: str, body: str) -> Path:
    bin_dir.mkdir(exist_ok=True)
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


SHIM = 'echo "pyenv: {0}: command not found" >&2; exit 127'
OLD = 'echo "Python 3.8.10"; exit 1'          # the version check exits 1 on 3.8
GOOD = f'exec "{sys.executable}" "$@"'         # this venv's Python, 3.11 or later


def _pick(source: Path, path: str) -> subprocess.CompletedProcess:
    return subprocess.run([BASH, str(source / "pick_python.sh")], env={"PATH": path},
                          capture_output=True, text=True)


def test_a_broken_shim_and_an_old_python_are_skipped_for_one_that_runs(source, tmp_path):
    bin_dir = tmp_path / "bin"
    _fake(bin_dir, "python3.13", SHIM.format("python3.13"))
    _fake(bin_dir, "python3.12", OLD)
    good = _fake(bin_dir, "python3.11", GOOD)
    _fake(bin_dir, "python3", GOOD)
    proc = _pick(source, str(bin_dir))
    assert proc.returncode == 0 and proc.stdout.strip() == str(good)
    assert f"skipped {bin_dir}/python3.13" in proc.stderr and f"skipped {bin_dir}/python3.12" in proc.stderr


def test_plain_python3_is_the_last_resort(source, tmp_path):
    bin_dir = tmp_path / "bin"
    _fake(bin_dir, "python3.12", OLD)
    last = _fake(bin_dir, "python3", GOOD)
    proc = _pick(source, str(bin_dir))
    assert proc.returncode == 0 and proc.stdout.strip() == str(last)


def test_no_python_that_runs_and_is_recent_enough_is_an_error(source, tmp_path):
    bin_dir = tmp_path / "bin"
    for name in ("python3.13", "python3.11"):
        _fake(bin_dir, name, SHIM.format(name))
    _fake(bin_dir, "python3", OLD)
    proc = _pick(source, str(bin_dir))
    assert proc.returncode == 1 and proc.stdout == ""
    assert NO_PYTHON_KO in proc.stderr


def test_setup_stops_with_a_message_when_even_apt_brings_no_python(source, tmp_path):
    """setup.sh asks apt for python3.11 once more, then stops before making a venv."""
    bin_dir = tmp_path / "bin"
    log = tmp_path / "apt.log"
    _fake(bin_dir, "apt-get", f'echo "$@" >> "{log}"; exit 0')
    _fake(bin_dir, "python3", OLD)
    for tool in ("dirname", "basename"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    root = tmp_path / "autograder"
    proc = subprocess.run([BASH, str(source / "setup.sh")], capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "AUTOGRADER_ROOT": str(root)})
    assert proc.returncode == 1
    assert NO_PYTHON_KO in proc.stderr and "cannot be installed" in proc.stderr
    assert proc.stderr.count(f"skipped {bin_dir}/python3:") == 2     # before apt, and after
    assert "install -y -qq python3.11 python3.11-venv" in log.read_text()
    assert not (root / "venv").exists()


def test_setup_makes_the_venv_with_the_interpreter_it_picked(source, tmp_path):
    bin_dir = tmp_path / "bin"
    calls = tmp_path / "calls.log"
    _fake(bin_dir, "apt-get", "exit 0")
    _fake(bin_dir, "python3.13", SHIM.format("python3.13"))
    # A Python 3.11 that passes the version check, records what it is asked, and makes a venv
    # whose python records the pip install.
    _fake(bin_dir, "python3.11", f'''echo "$0 $*" >> "{calls}"
case "$1 $2" in
  "-m venv") mkdir -p "$3/bin"; printf '#!/bin/sh\\necho "venv $*" >> "{calls}"\\n' > "$3/bin/python"; chmod +x "$3/bin/python";;
  "--version ") echo "Python 3.11.9";;
esac
exit 0''')
    for tool in ("dirname", "basename", "mkdir", "chmod"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    root = tmp_path / "autograder"
    proc = subprocess.run([BASH, str(source / "setup.sh")], capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "AUTOGRADER_ROOT": str(root)})
    assert proc.returncode == 0, proc.stderr
    assert f"grading with {bin_dir}/python3.11 (Python 3.11.9)" in proc.stdout
    log = calls.read_text().splitlines()
    assert f"{bin_dir}/python3.11 -m venv {root}/venv" in log
    assert f"venv -m pip install -q --disable-pip-version-check -r {source}/requirements.txt" in log

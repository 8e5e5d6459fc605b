"""Does the students' side stand on its own? It runs with only what student_template/
requirements.txt installs, from inside student_template/, as `python -m dlfs_check`."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from .paths import ASSIGNMENTS, TEMPLATE

# What a student's `pip install -r requirements.txt` brings besides the listed packages
# (pytest's own dependencies) and what Python brings itself.
DEPENDENCIES = {"_pytest", "pluggy", "iniconfig", "packaging", "exceptiongroup", "tomli", "py",
                "pygments", "cython_runtime", "_distutils_hack"}
# Installed in the project's environment, never on a student's laptop.
FORBIDDEN = ["autograder", "reference", "torch", "sklearn", "nbformat", "nbconvert", "jinja2", "tqdm"]

PROBE = """
import json, runpy, sys
for name in {forbidden!r}:
    sys.modules[name] = None          # importing any of these now raises ImportError
sys.argv = ["dlfs_check", {notebook!r}, "--lang", "en"]
try:
    runpy.run_module("dlfs_check", run_name="__main__")
except SystemExit as done:
    code = done.code
loaded = {{m.split(".")[0] for m, module in sys.modules.items() if module is not None}}
print("\\nMODULES " + json.dumps(sorted(loaded)))
sys.exit(code)
"""


def _requirements() -> set:
    names = set()
    for line in (TEMPLATE / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            names.add(re.split(r"[<>=\[ ]", line)[0].lower())
    return names


def test_requirements_hold_only_what_a_student_needs():
    assert {"numpy", "pytest"} <= _requirements()
    assert not _requirements() & {"torch", "scikit-learn", "dlfs-autograder", "nbconvert", "bubblewrap"}


def test_the_checker_runs_alone_from_student_template():
    notebook = str(ASSIGNMENTS / "ch03_neural_networks" / "source.ipynb")
    probe = PROBE.format(forbidden=FORBIDDEN, notebook=notebook)
    done = subprocess.run([sys.executable, "-E", "-s", "-c", probe], cwd=TEMPLATE,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "public tests passed" in done.stdout
    loaded = set(json.loads(done.stdout.rsplit("MODULES ", 1)[1]))
    outside = {m for m in loaded - set(sys.stdlib_module_names) - _requirements() - DEPENDENCIES
               if not m.startswith("_cython")} - {"dlfs_check", "__main__"}
    assert not outside, f"dlfs_check imported {sorted(outside)}, which requirements.txt does not install"


KERNEL = """
import json, sys
cells = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}          # a kernel's user namespace
for source in cells:
    exec(compile(source, "<cell>", "exec"), namespace)
"""


def test_the_check_cell_runs_in_a_kernel_started_in_the_chapter_folder(tmp_path):
    """A student opens the notebook from its folder, fills it in and runs every cell: does the
    check cell find the folder's own dlfs_check and test the kernel's own definitions?
    (tests/publish/test_check_anywhere.py moves the folder out of student_template/.)"""
    import nbformat
    folder = TEMPLATE / "ch03_neural_networks"
    answers = nbformat.read(ASSIGNMENTS / "ch03_neural_networks" / "source.ipynb", as_version=4)
    published = nbformat.read(folder / "ch03_neural_networks.ipynb", as_version=4)
    cells = [c.source for c in answers.cells if c.cell_type == "code"] + [published.cells[-1].source]
    (tmp_path / "cells.json").write_text(json.dumps(cells), encoding="utf-8")
    (tmp_path / "kernel.py").write_text(KERNEL, encoding="utf-8")
    done = subprocess.run([sys.executable, "-E", "-s", str(tmp_path / "kernel.py"), str(tmp_path / "cells.json")],
                          cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "공개 테스트" in done.stdout and "모두 통과했습니다" in done.stdout

"""Does a chapter folder check itself wherever it is?

An instructor may hand out one chapter folder; a student may open the notebook from a
folder with another name, move it, or upload the folder's files to Colab (the kernel's
working folder is then /content). Each case is a tmp folder holding copies of what the
student has, and a fresh Python in it, with nothing of student_template/ or the project
on its path, that runs the notebook's cells as a kernel does: the student's answers (the
source notebook's cells), then the published check cell. With a piece missing, the cell
prints one line saying what to put where, and no traceback.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.ingest import ingest
from autograder.publish.publish import publish_chapter
from autograder.publish.spec import find_spec

from .paths import ASSIGNMENTS, TEMPLATE

FOLDER = "ch03_neural_networks"
NOTEBOOK = f"{FOLDER}.ipynb"

# A kernel's user namespace, cell after cell; `prelude` runs first (to take a package away).
KERNEL = """
import json, sys
exec(sys.argv[2])
cells = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for source in cells:
    exec(compile(source, "<cell>", "exec"), namespace)
"""
WHERE = "import dlfs_check; print('CHECKER ' + dlfs_check.__file__)"


def _copy_folder(target: Path, name: str = FOLDER) -> Path:
    """The published chapter folder, copied alone (no student_template/ around it)."""
    return Path(shutil.copytree(TEMPLATE / name, target, ignore=shutil.ignore_patterns("__pycache__")))


def _check_cell(folder: Path, notebook: str = NOTEBOOK) -> str:
    cell = nbformat.read(folder / notebook, as_version=4).cells[-1]
    assert cell.id == "check" and "dlfs_check" in cell.source
    return cell.source


def _answers() -> list[str]:
    source = nbformat.read(ASSIGNMENTS / FOLDER / "source.ipynb", as_version=4)
    return [c.source for c in source.cells if c.cell_type == "code"]


def _run_kernel(cwd: Path, cells: list[str], scratch: Path, prelude: str = "") -> subprocess.CompletedProcess:
    scratch.mkdir(exist_ok=True)
    (scratch / "cells.json").write_text(json.dumps(cells), encoding="utf-8")
    (scratch / "kernel.py").write_text(KERNEL, encoding="utf-8")
    # -E -s: no PYTHONPATH, no user site; the script's folder (scratch) is sys.path[0], not cwd.
    return subprocess.run([sys.executable, "-E", "-s", str(scratch / "kernel.py"),
                           str(scratch / "cells.json"), prelude],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def _all_passed(stdout: str) -> int:
    found = re.search(r"공개 테스트 (\d+)개 중 (\d+)개 통과", stdout)
    assert found, stdout
    total, passed = map(int, found.groups())
    assert total == passed > 0, stdout
    assert "모두 통과했습니다" in stdout
    return total


def _layout(kind: str, tmp_path: Path) -> tuple[Path, str]:
    """(the kernel's working folder, the notebook's name there)."""
    if kind == "lone-folder":
        return _copy_folder(tmp_path / "handed-out" / FOLDER), NOTEBOOK
    if kind == "moved-notebook":
        # The folder's files beside a renamed notebook, in a folder of another name.
        here = _copy_folder(tmp_path / "Downloads" / "week3")
        (here / NOTEBOOK).rename(here / "my homework.ipynb")
        return here, "my homework.ipynb"
    # Colab: the folder's files uploaded into /content, beside Colab's own sample_data/;
    # uploaded file by file, the public tests land beside the notebook, not in public/.
    content = _copy_folder(tmp_path / "content")
    (content / "sample_data").mkdir()
    (content / "sample_data" / "README.md").write_text("Colab's samples\n", encoding="utf-8")
    for test in (content / "public").iterdir():
        test.rename(content / test.name)
    (content / "public").rmdir()
    (content / NOTEBOOK).rename(content / f"Copy of {NOTEBOOK}")
    return content, f"Copy of {NOTEBOOK}"


LAYOUTS = ["lone-folder", "moved-notebook", "colab-flat"]


@pytest.mark.parametrize("kind", LAYOUTS)
def test_the_check_cell_runs_the_public_tests_wherever_the_folder_is(kind, tmp_path):
    cwd, notebook = _layout(kind, tmp_path)
    done = _run_kernel(cwd, _answers() + [_check_cell(cwd, notebook), WHERE], tmp_path / "scratch")
    assert done.returncode == 0, done.stderr
    total = _all_passed(done.stdout)
    assert total == len(re.findall(r"^def test_", "\n".join(
        p.read_text(encoding="utf-8") for p in (TEMPLATE / FOLDER / "public").glob("test_*.py")), re.M))
    # The folder's own copy ran, not one from the project.
    assert f"CHECKER {cwd.resolve() / 'dlfs_check' / '__init__.py'}" in done.stdout


def test_the_check_cell_tests_the_kernels_own_definitions(tmp_path):
    """The unfilled notebook's stubs: the same cell reports what is not implemented yet."""
    cwd, _ = _layout("lone-folder", tmp_path)
    published = nbformat.read(cwd / NOTEBOOK, as_version=4)
    cells = [c.source for c in published.cells if c.cell_type == "code"]
    done = _run_kernel(cwd, cells, tmp_path / "scratch")
    assert done.returncode == 0, done.stderr
    assert "아직 구현하지 않았습니다" in done.stdout and "모두 통과했습니다" not in done.stdout


def _take_away(piece: str, cwd: Path) -> str:
    """Remove one piece of the folder; the prelude the kernel runs first (a package gone)."""
    if piece == "dlfs_check":
        shutil.rmtree(cwd / "dlfs_check")
    elif piece == "chapter.json":
        (cwd / "chapter.json").unlink()
    elif piece == "public":
        shutil.rmtree(cwd / "public")
    elif piece == "half-uploaded dlfs_check":
        (cwd / "dlfs_check" / "runner.py").unlink()
    elif piece == "pytest":
        return "sys.modules['pytest'] = None"
    return ""


MISSING = {  # piece -> what the one line must name
    "dlfs_check": "dlfs_check/", "half-uploaded dlfs_check": "dlfs_check/",
    "chapter.json": "chapter.json", "public": "public/", "pytest": "pip install numpy pytest"}


@pytest.mark.parametrize("piece", sorted(MISSING))
def test_a_missing_piece_is_one_line_saying_what_to_do(piece, tmp_path):
    cwd, notebook = _layout("lone-folder", tmp_path)
    cell = _check_cell(cwd, notebook)
    prelude = _take_away(piece, cwd)
    done = _run_kernel(cwd, _answers() + [cell], tmp_path / "scratch", prelude)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr and done.stderr == ""
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    assert MISSING[piece] in lines[0] and "다시 실행하세요" in lines[0], lines[0]
    if piece == "pytest":
        assert "pytest" in lines[0].split(":")[0]      # the module Python could not find


def test_a_notebook_published_in_english_speaks_english(tmp_path):
    spec = dataclasses.replace(find_spec("ch03"), lang="en")
    folder = publish_chapter(spec, tmp_path / "published").folder
    cell = _check_cell(folder)
    assert 'lang="en"' in cell or "lang='en'" in cell
    done = _run_kernel(folder, _answers() + [cell], tmp_path / "scratch")
    assert done.returncode == 0, done.stderr
    assert "public tests passed" in done.stdout and "All passed." in done.stdout
    shutil.rmtree(folder / "dlfs_check")
    done = _run_kernel(folder, _answers() + [cell], tmp_path / "scratch")
    assert done.stdout.strip() == ("The checker dlfs_check was not found: put the chapter folder's "
                                   "dlfs_check/, public/ and chapter.json in this notebook's folder "
                                   "(/content in Colab) and run this cell again.")


def _terminal(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-E", "-s", "-m", "dlfs_check", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", LAYOUTS)
def test_a_terminal_in_the_folder_checks_a_saved_notebook(kind, tmp_path):
    cwd, notebook = _layout(kind, tmp_path)
    filled = cwd / "filled in.ipynb"
    shutil.copyfile(ASSIGNMENTS / FOLDER / "source.ipynb", filled)
    done = _terminal(cwd, filled.name)
    assert done.returncode == 0, done.stdout + done.stderr
    _all_passed(done.stdout)
    done = _terminal(cwd, notebook, "--lang", "en")
    assert done.returncode == 1 and "Not implemented yet" in done.stdout, done.stdout + done.stderr


def test_a_terminal_in_the_folder_checks_a_notebook_saved_elsewhere(tmp_path):
    cwd, _ = _layout("lone-folder", tmp_path)
    elsewhere = tmp_path / "elsewhere" / "mine.ipynb"
    elsewhere.parent.mkdir()
    shutil.copyfile(ASSIGNMENTS / FOLDER / "source.ipynb", elsewhere)
    done = _terminal(cwd, str(elsewhere))
    assert done.returncode == 0, done.stdout + done.stderr
    _all_passed(done.stdout)


@pytest.mark.parametrize("piece", ["chapter.json", "public"])
def test_a_terminal_names_a_missing_piece_in_one_line(piece, tmp_path):
    cwd, _ = _layout("lone-folder", tmp_path)
    shutil.copyfile(ASSIGNMENTS / FOLDER / "source.ipynb", cwd / "filled.ipynb")
    _take_away(piece, cwd)
    done = _terminal(cwd, "filled.ipynb")
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and MISSING[piece] in lines[0], done.stderr


def test_grading_skips_the_whole_check_cell(tmp_path):
    """The cell is the student's own check: grading keeps nothing of it (not its os and sys
    imports either) and opens no block for it, so no feedback line mentions it."""
    published = nbformat.read(TEMPLATE / FOLDER / NOTEBOOK, as_version=4)
    answers = nbformat.read(ASSIGNMENTS / FOLDER / "source.ipynb", as_version=4)
    answers.cells.append(published.cells[-1])
    path = tmp_path / "student.ipynb"
    nbformat.write(answers, path)
    result = ingest(path)
    check_cell = len(answers.cells)          # cells are numbered as the notebook shows them
    assert "softmax" in result.definitions
    assert not any(d.cell == check_cell for d in result.definitions.values())
    assert "dlfs_check" not in result.source and "getcwd" not in result.source
    assert result.report.skipped["local_check"] == 1
    assert not any(w.field("cell") == check_cell for w in result.report.warnings)


@pytest.mark.parametrize("lang, ok", [("en", True), ("ko", True), ("fr", False)])
def test_the_notebook_language_comes_from_publish_toml(lang, ok, tmp_path):
    from autograder.publish.spec import SpecError, load_spec
    folder = Path(shutil.copytree(ASSIGNMENTS / FOLDER, tmp_path / FOLDER))
    with (folder / "publish.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[notebook]\nlang = "{lang}"\n')
    if ok:
        assert load_spec(folder).lang == lang
    else:
        with pytest.raises(SpecError, match="lang"):
            load_spec(folder)
    assert find_spec("ch03").lang == "ko"          # the committed chapters: the default


def test_a_submitted_chapter_folder_is_graded_on_its_notebook(tmp_path):
    """A student who hands in the whole folder, checker copy and all: its .py files are
    not mistaken for the submission."""
    from autograder.submissions.discover import discover_one
    folder = _copy_folder(tmp_path / "kim")
    submission, others = discover_one(folder, tmp_path / "scratch")
    assert submission.path == folder / NOTEBOOK and others == ()

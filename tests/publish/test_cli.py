"""`python -m autograder publish` and `check`: what they write, print and exit with."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell

from autograder.cli import main

from .paths import ASSIGNMENTS, TEMPLATE

SOURCE = ASSIGNMENTS / "ch03_neural_networks" / "source.ipynb"


def test_publish_writes_a_chapter(tmp_path, capsys):
    assert main(["publish", "ch03", "--source", str(SOURCE), "--out", str(tmp_path)]) == 0
    folder = tmp_path / "ch03_neural_networks"
    assert (folder / "ch03_neural_networks.ipynb").is_file() and (folder / "chapter.json").is_file()
    # Test files only: running the public tests leaves a __pycache__ in the committed copy.
    assert sorted(p.name for p in (folder / "public").glob("*.py")) == \
        sorted(p.name for p in (TEMPLATE / "ch03_neural_networks" / "public").glob("*.py"))
    assert "ch03" in capsys.readouterr().out


def test_publish_refuses_an_unknown_chapter(tmp_path, capsys):
    assert main(["publish", "ch99", "--out", str(tmp_path)]) == 2
    assert "ch99" in capsys.readouterr().err


def test_publish_refuses_a_notebook_with_hidden_tests(tmp_path, capsys):
    nb = nbformat.read(SOURCE, as_version=4)
    nb.cells.append(new_code_cell("### BEGIN HIDDEN TESTS\nassert softmax([0])[0] == 1\n### END HIDDEN TESTS"))
    path = tmp_path / "with_tests.ipynb"
    nbformat.write(nb, path)
    assert main(["publish", "ch03", "--source", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "hidden/" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_check_exit_status(capsys):
    assert main(["check", str(SOURCE)]) == 0
    student = TEMPLATE / "ch03_neural_networks" / "ch03_neural_networks.ipynb"
    assert main(["check", str(student), "--lang", "en"]) == 1
    assert "Not implemented yet" in capsys.readouterr().out

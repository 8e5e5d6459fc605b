"""A whole `grade` run in one language: with --lang en, no Korean on the console or in
results.json; by default, no English sentence of the catalog there (the contract's check
that feedback travels as data and is said once, at the edges).

The class: a right ch03 notebook that prints, a wrong one, one with ch02's metadata over
ch03 work (a chapter note), a broken upload (an ingest error) and a stray file (a log
line). None of the students' own text holds Hangul, so any Hangul is the grader's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.assignment import load_assignment
from autograder.messages import LANG_ENV
from tests.mutants.catalogue import notebook
from tests.test_cli_lang import ENGLISH, HANGUL

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    right = notebook(load_assignment("ch03"))
    # A class body runs when the module loads (a top-level call would be skipped by ingest).
    right.cells.append(nbformat.v4.new_code_cell("class Trained:\n    print('trained, loss 0.25')\n"))
    nbformat.write(right, folder / "ada.ipynb")
    wrong = notebook(load_assignment("ch03"))
    wrong.cells.append(nbformat.v4.new_code_cell("def softmax(a):\n    return a\n"))
    nbformat.write(wrong, folder / "bob.ipynb")
    reused = notebook(load_assignment("ch03"))
    reused.metadata["dlfs"] = {"assignment": "ch02"}
    nbformat.write(reused, folder / "cy.ipynb")
    (folder / "dee.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / "notes.txt").write_text("stray", encoding="utf-8")
    return folder


def _run(classroom: Path, out: Path, *lang: str) -> tuple[str, dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k != LANG_ENV}
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(classroom),
                           "--out", str(out), "--jobs", "2", *lang],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = {sid: (out / "students" / sid / "results.json").read_text(encoding="utf-8")
               for sid in ("ada", "bob", "cy", "dee")}
    data = {sid: json.loads(text) for sid, text in results.items()}
    # The run did its work: a clean run of nothing would say nothing in any language.
    assert data["ada"]["dlfs"]["status"] == "graded" and data["ada"]["score"] == data["ada"]["dlfs"]["max_score"] > 0
    assert data["bob"]["dlfs"]["status"] == "graded" and data["bob"]["score"] < data["bob"]["dlfs"]["max_score"]
    assert data["dee"]["dlfs"]["status"] == "error" and data["cy"]["dlfs"].get("chapter_note")
    assert "trained, loss 0.25" in data["ada"]["output"]
    return proc.stdout + proc.stderr, results


def test_english_run_says_nothing_in_korean(classroom, tmp_path):
    console, results = _run(classroom, tmp_path / "out", "--lang", "en")
    assert "notes.txt" in console and not HANGUL.search(console), console
    for sid, text in results.items():
        assert not HANGUL.search(json.dumps(json.loads(text), ensure_ascii=False)), sid


def test_korean_run_says_no_english_sentence(classroom, tmp_path):
    console, results = _run(classroom, tmp_path / "out")
    assert HANGUL.search(console)
    assert not sorted(s for s in ENGLISH if s in console), console
    for sid, text in results.items():
        said = sorted(s for s in ENGLISH if s in json.dumps(json.loads(text), ensure_ascii=False))
        assert not said, (sid, said)

"""The students' checker, dlfs_check: reading a notebook, the `student` view, verdicts and
their reasons, the table, the exit status, and check()/check_all() in a live namespace."""

from __future__ import annotations

import string

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from dlfs_check import check, check_all, runner
from dlfs_check.checking import check_notebook, run_chapter
from dlfs_check.chapters import by_id
from dlfs_check.cli import main
from dlfs_check.messages import CATALOG, say
from dlfs_check.notebook import load_notebook
from dlfs_check.view import Imported, NotDefined, StudentCode

from .paths import ASSIGNMENTS, TEMPLATE

SOURCE = ASSIGNMENTS / "ch03_neural_networks" / "source.ipynb"
STUDENT = TEMPLATE / "ch03_neural_networks" / "ch03_neural_networks.ipynb"


def _source_code() -> str:
    """Chapter 3's reference, as the source notebook's code cells run one after another."""
    nb = nbformat.read(SOURCE, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")


def _notebook(tmp_path, *cells, assignment="ch03"):
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    if assignment:
        nb.metadata["dlfs"] = {"assignment": assignment}
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, path)
    return path


# --- reading a notebook ----------------------------------------------------------------

def test_only_definitions_run(tmp_path):
    """Are definitions, imports and constants kept, and experiments (calls, loops) skipped?"""
    path = _notebook(tmp_path, "import numpy as np\nX = np.arange(3)\ncalls = []",
                     "def f(x):\n    return x\nf(X)\nfor i in range(10**9):\n    pass",
                     "%matplotlib inline\nY = X * 2\ncheck_all()")
    loaded = load_notebook(path)
    assert list(loaded.namespace["Y"]) == [0, 2, 4] and "f" in loaded.namespace
    assert not loaded.problems


def test_a_broken_cell_is_reported_and_the_rest_loads(tmp_path):
    path = _notebook(tmp_path, "def f(:\n    pass", "def g():\n    return 1",
                     "from not_a_module import thing", "%%time\ndef h(): pass")
    loaded = load_notebook(path)
    assert "g" in loaded.namespace and "h" not in loaded.namespace
    assert [p.key for p in loaded.problems] == ["ui.syntax_error", "ui.statement_failed", "ui.cell_magic"]


# --- the student view ----------------------------------------------------------------

def test_the_view_finds_aliases_and_refuses_imports():
    namespace = {"__name__": "nb"}
    exec("import numpy as np\nfrom numpy import maximum as relu\ndef ce_loss(y, t):\n    return 0.0",
         namespace)
    view = StudentCode(namespace, {"cross_entropy_error": ["ce_loss"], "relu": []})
    assert view.cross_entropy_error(1, 1) == 0.0
    with pytest.raises(Imported):
        view.relu
    with pytest.raises(NotDefined):
        view.softmax


def test_calls_get_copies_unless_inplace():
    """Can a function that changes its input in place spoil the test's data? (Only via inplace.)"""
    namespace = {"__name__": "nb"}
    exec("def clobber(x):\n    x[:] = 0\n    return x", namespace)
    x = np.ones(3)
    StudentCode(namespace).clobber(x)
    assert list(x) == [1, 1, 1]
    StudentCode(namespace).inplace.clobber(x)
    assert list(x) == [0, 0, 0]


# --- verdicts ---------------------------------------------------------------------------

def test_reasons_for_each_way_of_not_passing(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "TEST_SECONDS", 0.5)
    path = _notebook(tmp_path, _source_code(),
                     "def step_function(x):\n    raise NotImplementedError()",
                     "def sigmoid(x):\n    raise ValueError('mine')",
                     "def relu(x):\n    while True:\n        pass",
                     "def ReLU_not_init_network():\n    pass\ninit_network = 3")
    report = check_notebook(path, None, TEMPLATE)
    status = {}
    for o in report.outcomes:
        status.setdefault(o.item, set()).add(o.status)
    assert status["step_function"] == {"not_implemented"}
    assert status["sigmoid"] == {"error"}
    assert status["relu"] == {"timeout"}
    assert status["softmax"] == {"passed"}
    assert status["init_network"] == {"missing"}      # a number where a function should be
    sigmoid = next(o for o in report.outcomes if o.item == "sigmoid")
    assert "ValueError: mine" in sigmoid.why["en"] and "(cell 3, line 2)" in sigmoid.why["en"]


def test_a_wrong_value_says_why_and_hints(tmp_path):
    path = _notebook(tmp_path, _source_code(),
                     "def softmax(x):\n    e = np.exp(x)\n    return e / np.sum(e, axis=-1, keepdims=True)")
    report = check_notebook(path, None, TEMPLATE)
    failed = [o for o in report.outcomes if not o.passed]
    assert [o.test.split("::")[1] for o in failed] == ["test_large_inputs_do_not_overflow"]
    assert "inf" in failed[0].why["en"] and failed[0].hint["ko"] == say("hint.overflow", "ko")


# --- the command line ----------------------------------------------------------------

def test_exit_status_and_languages(capsys, tmp_path):
    assert main([str(SOURCE)], root=TEMPLATE) == 0
    korean = capsys.readouterr().out
    assert "공개 테스트" in korean and "통과" in korean
    assert main([str(STUDENT), "--lang", "en"], root=TEMPLATE) == 1
    english = capsys.readouterr().out
    assert "public tests" in english and "Not implemented yet" in english
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in english.split("—")[1])


@pytest.mark.parametrize("case", ["missing", "not-json", "unknown-chapter", "no-chapter"])
def test_misuse_exits_2(case, tmp_path, capsys):
    argv = {"missing": [str(tmp_path / "nope.ipynb")],
            "not-json": [str(tmp_path / "bad.ipynb")],
            "unknown-chapter": [str(SOURCE), "--chapter", "ch99"],
            "no-chapter": [str(_notebook(tmp_path, "x = 1", assignment=None))]}[case]
    (tmp_path / "bad.ipynb").write_text("{not json", encoding="utf-8")
    assert main(argv, root=TEMPLATE) == 2
    assert capsys.readouterr().err.strip()


# --- in the notebook -------------------------------------------------------------------

def test_check_and_check_all_use_the_callers_definitions(capsys):
    namespace = {"__name__": "__main__"}
    exec(compile(_source_code(), "<kernel>", "exec"), namespace)
    exec("from dlfs_check import check, check_all\ncheck('softmax')\ncheck_all(lang='en')", namespace)
    out = capsys.readouterr().out
    first, second = out.split("Chapter 3")
    assert "softmax" in first and "init_network" not in first        # check(): one item
    assert "init_network" in second and "All passed" in second         # check_all(): all
    exec("def softmax(x):\n    raise NotImplementedError()\ncheck('softmax', 'ch03', 'en')", namespace)
    assert "Not implemented yet" in capsys.readouterr().out


def test_one_item_runs_only_its_tests():
    namespace = {"__name__": "__main__"}
    exec(compile(_source_code(), "<kernel>", "exec"), namespace)
    outcomes = run_chapter(by_id("ch03", TEMPLATE), namespace, "softmax")
    assert outcomes and {o.item for o in outcomes} == {"softmax"}


# --- its sentences ------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_sentence_renders_in_both_languages(key):
    fields = {f for text in CATALOG[key].values() for _, f, _, _ in string.Formatter().parse(text) if f}
    sample = {name: f"<{name}>" for name in fields}
    for lang in ("ko", "en"):
        text = say(key, lang, **sample)
        assert text.strip() and all(v in text for v in sample.values()), (key, lang)


def test_no_two_sentences_alike():
    for lang in ("ko", "en"):
        texts = [" ".join(e[lang].split()).casefold() for e in CATALOG.values()]
        assert len(texts) == len(set(texts)), lang

"""Does every submission leave the pipeline with a result, whatever goes wrong on the way?"""

import pytest
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.feedback import msg
from autograder.assignment import load_assignment
from autograder import pipeline
from autograder.pipeline import error_result, prepare
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _notebook(path: Path, *sources: str, assignment: str | None = None) -> Path:
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    if assignment:
        nb.metadata["dlfs"] = {"assignment": assignment}
    nbformat.write(nb, path)
    return path


def test_a_student_folder_without_notebook_gets_an_error(tmp_path):
    prep = prepare(Submission("kim", tmp_path))
    assert prep.error.code.value == "no_notebook"
    assert prep.error.message == msg("ingest.error.no_notebook", path=tmp_path.name)
    result = error_result(prep)
    # The error is the result's, said by an edge: nothing is copied into what was printed.
    assert not result.graded and result.output == "" and result.error.message is prep.error.message


def test_a_crash_inside_a_stage_is_an_internal_error_not_an_exception(tmp_path, monkeypatch):
    def explode(data, name):
        raise RuntimeError("bug in ingest")
    monkeypatch.setattr(pipeline, "ingest_bytes", explode)
    prep = prepare(Submission("kim", EXAMPLES / "park_jiwoo_ch04.ipynb"))
    assert prep.error.code.value == "internal_error"
    assert "bug in ingest" in prep.error.traceback


def test_names_from_two_chapters_make_an_ambiguity_error_naming_both(tmp_path):
    path = _notebook(tmp_path / "both.ipynb",
                     "def softmax(x): pass\ndef sigmoid(x): pass\ndef relu(x): pass\n"
                     "def step_function(x): pass\n",
                     "def cross_entropy_error(y, t): pass\ndef numerical_diff(f, x): pass\n"
                     "def numerical_gradient(f, x): pass\n")
    prep = prepare(Submission("both", path))
    assert prep.error.code.value == "ambiguous_assignment"
    assert prep.error.message.key == "detect.ambiguous"
    assert "ch03" in prep.error.message.field("matches") and "ch04" in prep.error.message.field("matches")
    # The flag settles it.
    assert prepare(Submission("both", path), load_assignment("ch04")).assignment.id == "ch04"


def test_no_graded_name_at_all_is_an_error(tmp_path):
    path = _notebook(tmp_path / "hello.ipynb", "def hello():\n    return 1\n")
    assert prepare(Submission("hello", path)).error.code.value == "no_assignment_match"


def test_best_match_picks_the_chapter_whose_items_are_defined(tmp_path):
    path = _notebook(tmp_path / "ch3.ipynb",
                     "import numpy as np\ndef step_function(x): pass\ndef sigmoid(x): pass\n"
                     "def relu(x): pass\ndef softmax(x): pass\ndef identity_function(x): pass\n")
    assert prepare(Submission("ch3", path)).assignment.id == "ch03"


def test_a_refused_submission_is_an_error_result_and_is_never_read(tmp_path):
    """Does a refusal from discovery (an id collision) reach the result with its message?"""
    from autograder.submissions import Refusal
    sub = Submission("victim_lee~1", EXAMPLES / "park_jiwoo_ch04.ipynb",
                     refusal=Refusal("id_collision", "victim lee.ipynb, victim_lee.ipynb"),
                     origin="class/victim lee.ipynb")
    prep = prepare(sub)
    assert prep.error.code.value == "id_collision"
    assert prep.error.message == msg("submissions.id_collision", detail="victim lee.ipynb, victim_lee.ipynb")
    assert prep.ingest is None and prep.provenance.source == "class/victim lee.ipynb"
    assert prep.provenance.sha256 == __import__("hashlib").sha256(b"").hexdigest()


def test_a_fifo_in_place_of_a_notebook_is_unreadable_not_a_hang(tmp_path):
    import os
    fifo = tmp_path / "kim.ipynb"
    os.mkfifo(fifo)
    assert prepare(Submission("kim", fifo)).error.code.value == "unreadable"


def test_a_name_error_hint_names_its_cause_through_the_sandbox(tmp_path):
    """A typo, a name in a cell that does not compile, one a failed star import would bring:
    does each NameError's hint say which, from what ingest and loading learned?"""
    from autograder.feedback import msg
    path = _notebook(tmp_path / "causes.ipynb",
                     "import numpy as np\nfrom common.functions import *",
                     "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"
                     "def step_function(x):\n    return np.array(sigmod(x) > 2, dtype=int)\n",
                     "def softmax(a)\n    return a\n",
                     "def forward(network, x):\n    return identity_function(x)\n"
                     "def predict(network, x):\n    return softmax(x)\n", assignment="ch03")
    result = pipeline.grade(prepare(Submission("kim", path)))
    hints = {o.item: o.hint for o in result.outcomes if o.status.value == "error"}
    assert hints["step_function"] == msg("grading.cause.did_you_mean", name="sigmod", suggestion="sigmoid")
    assert hints["predict"] == msg("grading.cause.unread", name="softmax", cell=3,
                                   problem=msg("ingest.problem.syntax_error", line=1))
    assert hints["forward"] == msg("grading.cause.star_import", name="identity_function", cell=1,
                                   module="common.functions")

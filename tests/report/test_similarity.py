"""Are copied items flagged whatever the names, comments, layout and order, and others not?"""

import json

from autograder.feedback import Verbatim
from autograder.grading.outcome import TestStatus, TestOutcome
from autograder.grading.score import score_outcomes
from autograder.report.render import render_dashboard
from autograder.store import decode, encode
from autograder.report.code_form import normalise
from autograder.report.similarity import similar_pairs
from autograder.ingest.sources import ItemSource, item_sources
from autograder.ingest import ingest_bytes, resolve_items
from autograder.result import GradingResult, Provenance, RunStatus

SOFTMAX = '''
def softmax(a):
    c = np.max(a, axis=-1, keepdims=True)
    exp_a = np.exp(a - c)
    return exp_a / np.sum(exp_a, axis=-1, keepdims=True)
'''
SOFTMAX_RENAMED = '''
def softmax(x):
    """Stable softmax."""   # a docstring and a comment of the copier's own
    m = np.max(x, axis = -1, keepdims = True)

    e = np.exp(x - m)
    return e / np.sum(e, axis=-1,
                      keepdims=True)
'''
CEE = '''
def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size
'''
CEE_RENAMED = CEE.replace("batch_size", "n").replace("(y, t)", "(pred, label)").replace(
    "y.", "pred.").replace("t.", "label.").replace("* np.log(y", "* np.log(pred").replace(
    "(t *", "(label *").replace("y = ", "pred = ").replace("t = ", "label = ")
CEE_OTHER = '''
def cross_entropy_error(y, t):
    total = 0.0
    for row, label in zip(np.atleast_2d(y), np.atleast_2d(t)):
        total -= float(np.dot(label, np.log(row + 1e-7)))
    return total / len(np.atleast_2d(y))
'''
LAYER = '''
class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout
'''
LAYER_REORDERED = '''
class Relu:
    # backward first, then the rest
    def backward(self, grad):
        grad[self.mask] = 0
        return grad

    def forward(self, inp):
        self.mask = (inp <= 0)
        res = inp.copy()
        res[self.mask] = 0
        return res

    def __init__(self):
        self.mask = None
'''
LAYER_OTHER = '''
class Relu:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.maximum(0, x)
        return self.out

    def backward(self, dout):
        return dout * (self.out > 0)
'''


def _result(student, sources, assignment="ch05"):
    items = list(sources)
    outcomes = [TestOutcome(f"t_{i}", Verbatim(i), i, 1, TestStatus.PASSED) for i in items]
    return GradingResult(Provenance(student, f"{student}.ipynb", student * 4, "0.1.0", assignment, "1"),
                         RunStatus.GRADED, score=score_outcomes(outcomes, items), outcomes=outcomes,
                         item_sources={i: ItemSource(3, 1, code) for i, code in sources.items()})


def test_renamed_commented_reformatted_and_reordered_code_normalises_alike():
    assert normalise(SOFTMAX) == normalise(SOFTMAX_RENAMED)
    assert normalise(CEE) == normalise(CEE_RENAMED)
    assert normalise(LAYER) == normalise(LAYER_REORDERED)
    assert normalise(CEE) != normalise(CEE_OTHER)
    assert normalise(LAYER) != normalise(LAYER_OTHER)


def test_names_the_code_only_reads_still_tell_code_apart():
    assert normalise(SOFTMAX) != normalise(SOFTMAX.replace("np.max", "np.min"))


def test_tiny_items_do_not_count():
    assert normalise("def identity_function(x):\n    return x\n") is None
    assert normalise("def broken(:\n") is None


def test_a_copied_pair_is_flagged_with_its_shared_items():
    results = [_result("kim", {"softmax": SOFTMAX, "cross_entropy_error": CEE, "Relu": LAYER}),
               _result("lee", {"softmax": SOFTMAX_RENAMED, "cross_entropy_error": CEE_RENAMED,
                               "Relu": LAYER_REORDERED}),
               _result("park", {"softmax": SOFTMAX, "cross_entropy_error": CEE_OTHER, "Relu": LAYER_OTHER})]
    pairs = similar_pairs(results)
    assert [(p["a"], p["b"]) for p in pairs] == [("kim", "lee")]
    assert pairs[0]["share"] == 1.0
    assert pairs[0]["items"] == "Relu, cross_entropy_error, softmax"


def test_genuinely_different_code_is_not_flagged():
    results = [_result("kim", {"cross_entropy_error": CEE, "Relu": LAYER}),
               _result("park", {"cross_entropy_error": CEE_OTHER, "Relu": LAYER_OTHER})]
    assert similar_pairs(results) == []


def test_other_assignments_and_code_most_of_the_class_shares_are_not_evidence():
    same = {"cross_entropy_error": CEE, "Relu": LAYER}
    assert similar_pairs([_result("kim", same, "ch04"), _result("lee", same, "ch05")]) == []
    # Six students typed the book's code: nobody is flagged for it.
    assert similar_pairs([_result(f"s{i}", same) for i in range(6)]) == []


def test_the_dashboard_lists_flagged_pairs():
    results = [_result("kim", {"cross_entropy_error": CEE, "Relu": LAYER}),
               _result("lee", {"cross_entropy_error": CEE_RENAMED, "Relu": LAYER_REORDERED})]
    html = render_dashboard(results, "students", "en", similar_pairs(results))
    assert "Similar submissions" in html and "100% (2/2)" in html and "Relu, cross_entropy_error" in html


def test_item_sources_come_from_the_kept_notebook_and_survive_the_store():
    cells = [{"cell_type": "code", "id": f"c{n}", "metadata": {}, "outputs": [], "execution_count": None,
              "source": src} for n, src in enumerate(("import numpy as np\n", "x = 1\n\n" + SOFTMAX.strip(),
                                         "soft = softmax\n"))]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    ingest = ingest_bytes(json.dumps(notebook).encode(), "n.ipynb")
    resolution = resolve_items(ingest.definitions, items=["softmax"], aliases={})
    sources = item_sources(ingest.blocks, ingest.definitions, resolution.bindings)
    assert sources["softmax"] == ItemSource(2, 3, SOFTMAX.strip())
    result = _result("kim", {})
    result.item_sources = {"softmax": sources["softmax"], "big": ItemSource(1, 1, "x" * 50_000)}
    back = decode(encode(result))
    assert back.item_sources == result.item_sources      # the store keeps them whole


def test_class_attributes_and_nested_classes_normalise_without_error():
    """Does a class with a class attribute (the reference's `ORDERS`, a student's `lr = 0.01`)
    normalise, with its attribute names kept like its method names?"""
    code = '''
class Nesterov:
    ORDERS = ("velocity_first", "step_first")
    lr: float = 0.01
    count = 0
    count += 1

    class Inner:
        pass

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key] * len(self.ORDERS)
'''
    form = normalise(code)
    assert form is not None and "ORDERS" in form and "update" in form
    assert normalise(code.replace("key", "k")) == form

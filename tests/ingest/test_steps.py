"""The whole stage on a notebook shaped like real submissions, and every message it can say."""

import json

import pytest

from autograder.ingest import CELL_STEPS, ingest, ingest_bytes, resolve_items
from autograder.feedback import msg
from autograder.messages import CATALOG, fields_of
from tests.ingest.conftest import notebook_bytes

SEED_LIKE = [
    "%matplotlib inline\nimport sys, os\nsys.path.append(os.pardir)\nimport numpy as np\n"
    "import matplotlib.pyplot as plt\nfrom dataset.mnist import load_mnist\nfrom common.functions import *",
    "def step_function(x):\n    return np.array(x > 0, dtype=np.int32)\n\nX = np.arange(-5.0, 5.0, 0.1)\n"
    "Y = step_function(X)\nplt.plot(X, Y)\nplt.ylim(-0.1, 1.1)\nplt.show()",
    "def ce_loss(y, t):\n    delta = 1e-7\n    return -np.sum(t * np.log(y + delta))\ncross_entropy = ce_loss",
    "(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)\n"
    "train_loss_list = []\niters_num = 10000\nlearning_rate = 0.1",
    "for i in range(iters_num):\n    batch_mask = np.random.choice(60000, 100)\n    train_loss_list.append(i)\n"
    "print(len(train_loss_list))",
    "class MultLayer:\n    def __init__(self):\n        self.x = None\n\ndef backward(self, dout):\n    return dout * self.x",
    "!pip install tqdm\nnp.dot?",
]


@pytest.fixture
def seed_result(write):
    return ingest(write(notebook_bytes(*SEED_LIKE, metadata={"dlfs": {"assignment": "ch04"}})))


def test_steps_are_listed_in_order():
    """Is the cell pipeline the visible ordered list of steps?"""
    assert [step.__name__ for step in CELL_STEPS] == ["limit_cells", "strip_magics", "parse_cells",
                                                      "keep_definitions", "emit_blocks"]


def test_seed_like_notebook_report(seed_result):
    """On a notebook like the seeds, are magics, skips and definitions what a reader expects?"""
    report = seed_result.report.to_dict()
    assert report["magics_stripped"] == 3
    assert report["skipped"] == {"assign": 2, "call": 5, "for": 1}
    assert report["syntax_errors"] == []
    assert json.loads(json.dumps(report)) == report
    assert {"step_function", "ce_loss", "cross_entropy", "MultLayer", "backward", "X",
            "iters_num", "learning_rate", "train_loss_list"} <= set(seed_result.definitions)
    assert "Y" not in seed_result.definitions and "x_train" not in seed_result.definitions
    assert seed_result.metadata["dlfs"]["assignment"] == "ch04"


def test_seed_like_notebook_loads_without_its_training_loop(seed_result):
    """Does the kept module load without running the loop, with MNIST and common imports recorded?"""
    namespace: dict = {}
    for label, source in seed_result.blocks:
        exec(compile(source, label, "exec"), namespace)
    # The loop would have appended 10,000 entries (a wall-clock bound here failed whenever
    # importing matplotlib alone took a second on a busy machine).
    assert namespace["train_loss_list"] == []
    failed = {statement for _, _, statement, _ in namespace["__ingest_import_errors__"]}
    assert failed >= {"from dataset.mnist import load_mnist", "from common.functions import *"}
    assert namespace["cross_entropy"] is namespace["ce_loss"]


def test_seed_like_notebook_resolves(seed_result):
    """Are aliases bound and the rest explained for the items a ch04 suite would ask for?"""
    resolution = resolve_items(seed_result.definitions, items=["cross_entropy_error", "softmax", "MulLayer"],
                               aliases={"cross_entropy_error": ["ce_loss"]})
    assert resolution.bindings == {"cross_entropy_error": "ce_loss"}
    # The star import first, then the notebook's functions that were not graded.
    softmax = resolution.unavailable["softmax"]
    assert softmax.key == "ingest.resolve.joined"
    assert softmax.field("first").key == "ingest.resolve.missing_star_import"
    assert softmax.field("rest").key == "ingest.resolve.unmatched"
    assert set(resolution.unavailable) == {"softmax", "MulLayer"}


def test_while_true_at_top_level_never_runs(write):
    """Is a top-level `while True: pass` left out, so loading the module returns?"""
    result = ingest(write(notebook_bytes("while True: pass", "def f():\n    return 1")))
    assert result.report.skipped["while"] == 1
    namespace: dict = {}
    for label, source in result.blocks:
        exec(compile(source, label, "exec"), namespace)
    assert namespace["f"]() == 1


SAMPLE_FIELDS = {"path": "kim.ipynb", "reason": "Permission denied", "size_mb": 80, "limit_mb": 64,
                 "kind": "zip", "line": 3, "column": 7, "cell": 4, "message": "invalid syntax",
                 "magic": "bash", "name": "softmax", "suggestions": "`soft_max`",
                 "module": "common.functions", "student": "ce_loss", "book": "cross_entropy_error",
                 "cells": "2, 5", "limit": 100, "count": 2, "block": "try", "names": "`relu`",
                 "graded": 3, "problem": msg("ingest.problem.syntax_error", line=3),
                 "detail": "U+D800", "first": msg("ingest.error.empty"),
                 "rest": msg("ingest.resolve.missing", name="softmax"),
                 "size_kb": 150, "limit_kb": 100, "shape": "gd(f, init_x, lr=, step_num=)",
                 "candidates": "`gd`, `gd2`", "listing": "`gd(f, x)`", "call": "SimpleNet",
                 "import_cell": 9, "usage": "AND(x1, x2)", "instance": "and_gate = LogicGate(...)",
                 "renamed": "class XORGate", "wrapper": "def AND(x1, x2): return and_gate(x1, x2)"}


@pytest.mark.parametrize("key", sorted(k for k in CATALOG if k.startswith("ingest.")))
def test_every_ingest_message_renders(key):
    """Does every ingest entry render in both languages with all its fields filled?"""
    assert fields_of(key) <= set(SAMPLE_FIELDS)
    message = msg(key, **{name: SAMPLE_FIELDS[name] for name in fields_of(key)})
    ko, en = message.render("ko"), message.render("en")
    assert ko != en and "{" not in ko + en
    assert any("\uac00" <= ch <= "\ud7a3" for ch in ko)


def test_each_block_knows_its_cell_without_reading_its_label():
    """Markdown first, an empty cell, a cell with nothing kept: does each emitted block map
    to the notebook's own cell number, and the grader's prelude to none?"""
    result = ingest_bytes(notebook_bytes("import numpy as np", "   ", "print('hi')",
                                         "def f(x):\n    return x\n"), "hw.ipynb")
    labels = [label for label, _ in result.blocks]
    assert result.block_cells == {labels[1]: 2, labels[2]: 5}
    assert labels[0] not in result.block_cells

"""Notebooks that name the graded items their own way, graded end to end.

`gd` and `MultLayer` are aliases in the chapters' assignment.toml; `Network` (shaped like
simpleNet), `Linear` (shaped like Affine) and `AddGate` (named like AddLayer) are found
by shape. Each is graded, and the feedback says what it was graded as.
"""

from __future__ import annotations

import pytest
import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.assignment import load_assignment
from autograder.grading.outcome import TestStatus
from autograder.feedback import msg
from autograder.pipeline import grade, prepare
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

CH04 = ["import numpy as np",
        "def numerical_gradient(f, x):\n    h = 1e-4\n    grad = np.zeros_like(x)\n"
        "    for idx in np.ndindex(x.shape):\n        tmp = x[idx]\n        x[idx] = tmp + h\n"
        "        fxh1 = f(x)\n        x[idx] = tmp - h\n        fxh2 = f(x)\n        x[idx] = tmp\n"
        "        grad[idx] = (fxh1 - fxh2) / (2 * h)\n    return grad\n",
        "def gd(f, init_x, lr=0.01, step_num=100):\n    x = init_x.copy()\n"
        "    for i in range(step_num):\n        x -= lr * numerical_gradient(f, x)\n    return x\n",
        "def softmax(a):\n    e = np.exp(a - np.max(a, axis=-1, keepdims=True))\n"
        "    return e / np.sum(e, axis=-1, keepdims=True)\n"
        "def ce(y, t):\n    if y.ndim == 1:\n        y, t = y.reshape(1, -1), t.reshape(1, -1)\n"
        "    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]\n",
        "class Network:\n    def __init__(self):\n        self.W = np.random.randn(2, 3)\n"
        "    def predict(self, x):\n        return np.dot(x, self.W)\n"
        "    def loss(self, x, t):\n        return ce(softmax(self.predict(x)), t)\n",
        "net = Network()\nprint(net.predict(np.array([0.6, 0.9])))\n"]

CH05 = ["import numpy as np",
        "class MultLayer:\n    def forward(self, x, y):\n        self.x, self.y = x, y\n        return x * y\n"
        "    def backward(self, dout):\n        return dout * self.y, dout * self.x\n",
        "class AddGate:\n    def forward(self, x, y):\n        return x + y\n"
        "    def backward(self, dout):\n        return dout * 1, dout * 1\n",
        "class Linear:\n    def __init__(self, W, b):\n        self.W, self.b = W, b\n"
        "        self.x = self.shape = self.dW = self.db = None\n"
        "    def forward(self, x):\n        self.shape = x.shape\n        self.x = x.reshape(x.shape[0], -1)\n"
        "        return np.dot(self.x, self.W) + self.b\n"
        "    def backward(self, dout):\n        self.dW = np.dot(self.x.T, dout)\n"
        "        self.db = np.sum(dout, axis=0)\n        return np.dot(dout, self.W.T).reshape(self.shape)\n"]


def _graded(tmp_path, assignment_id, cells):
    path = tmp_path / f"{assignment_id}.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    result = grade(prepare(Submission("student", path), load_assignment(assignment_id)))
    passed = {}
    for outcome in result.outcomes:
        passed.setdefault(outcome.item, []).append(outcome.status is TestStatus.PASSED)
    return result, {item: all(v) for item, v in passed.items()}


def test_gd_and_a_class_shaped_like_simple_net_are_graded_with_notes(tmp_path):
    result, passed = _graded(tmp_path, "ch04", CH04)
    assert passed["gradient_descent"] and passed["simpleNet"]
    assert result.notes["gradient_descent"] == msg("ingest.resolve.alias_note", student="gd",
                                                   book="gradient_descent")
    assert result.notes["simpleNet"] == msg("ingest.match.methods", student="Network", book="simpleNet",
                                            shape="Network(): predict, loss")


def test_mult_layer_and_layers_found_by_shape_or_name_are_graded_with_notes(tmp_path):
    result, passed = _graded(tmp_path, "ch05", CH05)
    assert passed["MulLayer"] and passed["AddLayer"] and passed["Affine"]
    assert result.notes["MulLayer"] == msg("ingest.resolve.alias_note", student="MultLayer", book="MulLayer")
    assert result.notes["AddLayer"] == msg("ingest.match.name", student="AddGate", book="AddLayer",
                                           shape="AddGate(): forward, backward")
    assert result.notes["Affine"] == msg("ingest.match.methods", student="Linear", book="Affine",
                                         shape="Linear(W, b): forward, backward")

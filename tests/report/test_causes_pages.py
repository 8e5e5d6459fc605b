"""Causes the pages used to miss, shown on the page a student reads (feedback.md, both languages).

Each test grades a small notebook end to end (ingest, sandbox, hidden suite, page) and
reads the page: a wrong signature is one block naming the book's signature; a NameError
that is a slip of a local says which; a gate bound to an instance is "not a function" with
the wrapper to write; a passing item's accepted deviation shows on its line; a
wrong-layer hint names the layer that lost points; fix-first is ordered by points; Korean
particles agree with their word. The "before" of each is asserted absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.assignment import load_assignment
from autograder.pipeline import grade, prepare
from autograder.reference_source import chapter_sources
from autograder.report.render import render_feedback
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox


def _pages(tmp_path: Path, chapter: str, edits=(), extra=(), cells=None) -> dict[str, str]:
    """The chapter's reference as a student's notebook, with `edits` (old, new) made to its
    source and `extra` cells appended (or exactly `cells`), graded: {lang: feedback.md}."""
    assignment = load_assignment(chapter)
    if cells is None:
        cells = []
        for module in chapter_sources(assignment.config_path.parent):
            source = module.source
            for old, new in edits:
                source = source.replace(old, new)
            cells.append(source)
        cells += list(extra)
    path = tmp_path / f"{chapter}.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    result = grade(prepare(Submission("student", path), assignment))
    return {lang: render_feedback(result, "md", lang) for lang in ("en", "ko")}


def _section(page: str, item: str) -> str:
    """The part of a page about one item (from its ### heading to the next heading)."""
    match = re.search(rf"^### `{re.escape(item)}` .*?(?=^##)", page, re.S | re.M)
    assert match, f"no section for {item}"
    return match.group(0)


def test_a_missing_pad_is_one_block_naming_the_books_signature(tmp_path):
    pages = _pages(tmp_path, "ch07_cnn", edits=[
        ("def im2col(input_data, filter_h, filter_w, stride=1, pad=0):",
         "def im2col(input_data, filter_h, filter_w, stride=1):\n    pad = 0"),
        ("def __init__(self, W, b, stride=1, pad=0):", "def __init__(self, W, b, stride=1):\n        pad = 0")])
    en, ko = pages["en"], pages["ko"]
    for item, book in (("im2col", "im2col(input_data, filter_h, filter_w, stride=1, pad=0)"),
                       ("Convolution", "Convolution(W, b, stride=1, pad=0)")):
        section = _section(en, item)
        # Before: one block per call ("This cause failed 1 tests" five times for im2col).
        assert section.count("This cause failed") == 1, section
        assert f"`{book}`" in section
        assert "it has no `pad` parameter (the book's default is `0`)" in section
        assert "매개변수가 없습니다(책의 기본값은 `0`)" in _section(ko, item)
    assert "채점은 `im2col`을 책의 시그니처" in ko and "`Convolution(W, b, stride=…)`으로는" in ko


def test_a_batchnorm_constructor_without_momentum_names_the_missing_parameters(tmp_path):
    pages = _pages(tmp_path, "ch06_training_techniques", edits=[
        ("def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):",
         "def __init__(self, gamma, beta):\n        momentum, running_mean, running_var = 0.9, None, None")])
    section = _section(pages["en"], "BatchNormalization")
    assert "`BatchNormalization(gamma, beta, momentum=0.9, running_mean=None, running_var=None)`" in section
    assert "it has no `momentum` parameter (the book's default is `0.9`)" in section
    assert "unexpected keyword" not in section.split("**Hint:**")[1].split("\n")[0]


def test_a_slip_of_a_local_or_parameter_says_did_you_mean_and_a_star_import_is_not_blamed(tmp_path):
    pages = _pages(tmp_path, "ch03_neural_networks", edits=[
        ("    return e / np.sum(e, axis=-1, keepdims=True)",
         "    out = e / np.sum(e, axis=-1, keepdims=True)\n    return out1"),
        ("def relu(x):\n", "def relu(param):\n    x = params\n")],
        extra=["from common.functions import *"])
    en, ko = pages["en"], pages["ko"]
    assert "`params` is not defined inside `relu`: did you mean `param`, its parameter?" in _section(en, "relu")
    assert "did you mean `out`, a variable of that function?" in _section(en, "softmax")
    # Before: "`out1` would come from `from common.functions import *`", which it never could.
    assert "would come from" not in en and "에서 오는 이름으로" not in ko
    assert "`relu` 안에서 쓴 `params`는 정의되지 않았습니다. 이 함수의 매개변수 `param`을 쓰려고 했나요?" in ko


GATES = ["import numpy as np",
         "class LogicGate:\n    def __init__(self, w1, w2, b):\n        self.w = np.array([w1, w2])\n"
         "        self.b = b\n    def __call__(self, x1, x2):\n"
         "        return int(np.sum(self.w * np.array([x1, x2])) + self.b > 0)\n",
         "AND = LogicGate(0.5, 0.5, -0.7)\nNAND = LogicGate(-0.5, -0.5, 0.7)\nOR = LogicGate(0.5, 0.5, -0.2)\n",
         "class XOR:\n    def __init__(self, x1, x2):\n        self.x1, self.x2 = x1, x2\n"
         "    def output(self):\n        return AND(NAND(self.x1, self.x2), OR(self.x1, self.x2))\n",
         "XOR = XOR(0, 1)\nprint(XOR.output())\n"]


def test_a_gate_bound_to_an_instance_is_not_a_function_with_the_wrapper_to_write(tmp_path):
    pages = _pages(tmp_path, "ch02_perceptron", cells=GATES)
    en, ko = pages["en"], pages["ko"]
    assert "| `AND` | 0 / 5 | not a function |" in en and "| `AND` | 0 / 5 | 함수가 아님 |" in ko
    assert "| `XOR` | 0 / 5 | not a function |" in en
    # Before: "it grades the class itself. Name the class `AND`", the advice for a class item.
    assert "grades the class itself" not in en
    assert r"def AND(x1, x2): return and\_logicgate(x1, x2)" in en
    assert r"def XOR(x1, x2): return XORClass(x1, x2).output()" in en
    assert r"\`OR\`은 \`LogicGate\`의 인스턴스입니다" in ko and r"\`AND\`는 \`LogicGate\`의" in ko


def test_an_accepted_deviation_shows_on_the_full_mark_line_and_fix_first_puts_a_free_import_last(tmp_path):
    pages = _pages(tmp_path, "ch06_training_techniques", edits=[
        ("            return x * self.mask\n        return x * (1.0 - self.dropout_ratio)",
         "            return x * self.mask / (1.0 - self.dropout_ratio)\n        return x"),
        ("        if not self.train_flg:\n            return dout * (1.0 - self.dropout_ratio)\n"
         "        return dout * self.mask",
         "        if not self.train_flg:\n            return dout\n"
         "        return dout * self.mask / (1.0 - self.dropout_ratio)"),
        ("class SGD:", "class StochasticGD:")],
        extra=["from dataset.mnist import load_mnist"])
    en, ko = pages["en"], pages["ko"]
    line = next(l for l in en.splitlines() if l.startswith("- `Dropout` 12 / 12"))
    assert "inverted dropout" in line
    assert "역 드롭아웃" in next(l for l in ko.splitlines() if l.startswith("- `Dropout` 12 / 12"))
    fixes = en.split("## Fix these first")[1].split("##")[0]
    bullets = [l for l in fixes.splitlines() if l.startswith("- ")]
    # The missing SGD costs its points; the mnist import costs nothing: it goes last.
    assert "SGD" in bullets[0] and "dataset.mnist" in bullets[-1], bullets
    assert len(bullets) == len(set(bullets))
    # Skipped statements are counted in words, not ingest's names.
    assert "(call " not in en and "local_check" not in en


def test_a_wrong_layer_hint_names_the_layer_that_lost_points(tmp_path):
    # The network has a slip of its own (W2's gradient doubled) beside Affine's: a layer's
    # slip alone is charged once, at Affine, and the network's page has no block to name it in.
    pages = _pages(tmp_path, "ch05_backprop", edits=[("self.db = np.sum(dout, axis=0)", "self.db = np.sum(dout)"),
                                                     ('"W2": a2.dW,', '"W2": a2.dW * 2,')])
    section = _section(pages["en"], "TwoLayerNet")
    assert "one of them has a wrong forward or backward" in section
    assert "The ones that lost points in this grading: `Affine`." in section
    assert "이번 채점에서 점수를 잃은 것은 `Affine`입니다." in _section(pages["ko"], "TwoLayerNet")


def test_korean_pages_say_cell_in_korean(tmp_path):
    ko = _pages(tmp_path, "ch03_neural_networks", edits=[("def relu(x):\n", "def relu(param):\n    x = params\n")],
                extra=["import torch"])["ko"]
    assert "셀 1, " in ko and "- 셀 " in ko
    assert not re.search(r"(?<![<\w])cell \d", ko.replace("<cell", ""))

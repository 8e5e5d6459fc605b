"""Does the learning check train a network in place, in process and through the sandbox?"""

import pytest
import numpy as np

from autograder.grading.learning import digits, predicted_accuracy, train
from autograder.grading.student import StudentView
from autograder.reference_source import chapter_sources
from autograder.chapters import chapters_root
from autograder.sandbox import Limits, Sandbox
from reference.ch05_backprop import TwoLayerNet

pytestmark = pytest.mark.sandbox


def test_the_digits_are_scikit_learns():
    from sklearn.datasets import load_digits
    from autograder.grading.learning import _all_digits
    data = load_digits()
    x, t = _all_digits()
    assert np.array_equal(x, data.data / 16.0) and np.array_equal(t, data.target)


def test_the_split_is_seeded_and_scaled():
    a, b = digits(seed=3), digits(seed=3)
    assert np.array_equal(a.x_train, b.x_train) and a.x_train.shape == (600, 64)
    assert 0.0 <= a.x_train.min() and a.x_train.max() <= 1.0
    assert digits(images=True).x_test.shape == (300, 1, 8, 8)


def test_reference_net_learns_in_process():
    np.random.seed(0)
    net = TwoLayerNet(64, 30, 10)
    data = digits()
    before = predicted_accuracy(net, data.x_test, data.t_test)
    after = train(net, data, steps=150, lr=0.5, one_hot=True)
    assert before < 0.3 and after > 0.8


def test_reference_net_learns_through_the_sandbox():
    """Are the updates written into the arrays the student's layers hold, in the sandbox?"""
    cells = [(m.name, m.source) for m in chapter_sources(chapters_root() / "ch05_backprop")]
    with Sandbox(limits=Limits(call_seconds=10)) as sandbox:
        assert sandbox.load(cells).ok
        net = StudentView(sandbox.module).TwoLayerNet(64, 30, 10)
        after = train(net, digits(), steps=150, lr=0.5, one_hot=True)
    assert after > 0.8

"""simpleNet: one 2x3 weight matrix W, predict = x @ W, loss = CEE(softmax(predict)) (4.4.2)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_shape
from autograder.grading.own import assert_reference_or_own
from reference.ch03_neural_networks.own_helpers import one_hot_like, softmax_helper
from reference.ch04_training.own_helpers import cross_entropy_helper

pytestmark = pytest.mark.item("simpleNet")


def _nets(student, reference, rng):
    """A student net and a reference net holding the same W (set by assignment)."""
    W = rng.normal(size=(2, 3))
    mine, ref = student.simpleNet(), reference.simpleNet()
    mine.W = W.copy()
    ref.W = W.copy()
    return mine, ref


@pytest.mark.points(2)
def test_weight_shape(student):
    """simpleNet() creates a weight matrix W of shape (2, 3)"""
    assert_shape(student.simpleNet().W, (2, 3), call="simpleNet().W")


@pytest.mark.points(2)
def test_predict_one_sample(student, reference, rng):
    """net.predict(x) is np.dot(x, net.W) for x = [0.6, 0.9]"""
    mine, ref = _nets(student, reference, rng)
    x = np.array([0.6, 0.9])
    assert_close(mine.predict(x), ref.predict(x), call="net.predict(x)", inputs={"x": x})


@pytest.mark.points(2)
def test_predict_batch(student, reference, rng):
    """net.predict works on a batch x of shape (N, 2)"""
    mine, ref = _nets(student, reference, rng)
    x = rng.normal(size=(4, 2))
    assert_close(mine.predict(x), ref.predict(x), call="net.predict(x)", inputs={"x": x})


def _check_loss(student, mine, ref, x, t):
    """net.loss(x, t) against the reference, or else against the student's own
    cross_entropy_error(softmax(net.predict(x)), t): a softmax or cross_entropy_error that
    misses is charged by its own tests, not again here. softmax is chapter 3's: not
    graded here, so it must be right."""
    def own(x, t):
        return lambda: student.cross_entropy_error(student.softmax(mine.predict(x)), t)

    def again(rng):
        x2, t2 = rng.normal(size=x.shape), one_hot_like(rng, t)
        return own(x2, t2), lambda: mine.loss(x2, t2)

    assert_reference_or_own(
        assert_close, mine.loss(x, t), ref.loss(x, t), own(x, t),
        helpers=(cross_entropy_helper(student, t), softmax_helper(student, t, graded=False)),
        again=again, call="net.loss(x, t)", inputs={"x": x, "t": t}, rtol=tol.LOSS_RTOL)


@pytest.mark.points(2)
def test_loss_book_example(student, reference, rng):
    """net.loss([0.6, 0.9], [0, 0, 1]) is the cross-entropy of softmax(predict)"""
    mine, ref = _nets(student, reference, rng)
    _check_loss(student, mine, ref, np.array([0.6, 0.9]), np.array([0, 0, 1]))


@pytest.mark.points(2)
def test_loss_batch(student, reference, rng):
    """net.loss on a batch with one-hot t is the mean loss over the batch"""
    mine, ref = _nets(student, reference, rng)
    _check_loss(student, mine, ref, rng.normal(size=(4, 2)), np.eye(3)[rng.integers(3, size=4)])

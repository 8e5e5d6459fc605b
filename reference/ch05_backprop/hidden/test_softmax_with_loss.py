"""SoftmaxWithLoss: softmax then cross-entropy; backward(1) is (y - t) / N (section 5.6.3).

The book's layer takes t one-hot or as class labels (its cross_entropy_error and backward
handle both), so both are tested, labels with their own points. backward is checked on a
batch, as the book's network uses it.
"""

import numpy as np
import pytest

from autograder.feedback import msg
from autograder.grading import tolerances as tol
from autograder.grading.checks import CheckFailed, assert_close, assert_grad_close, assert_restored
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of
from reference.ch03_neural_networks.activations import softmax
from reference.ch04_training.hints import cross_entropy_variants
from reference.ch05_backprop.hints import confident_scores, softmax_with_loss_backward_variants
from reference.ch05_backprop.loss_checks import assert_confident_loss

pytestmark = pytest.mark.item("SoftmaxWithLoss")

N, C = 4, 3

# backward leaves out the 1e-7 that the loss keeps inside the log, as the book does: each
# entry of dx then differs from the loss's numerical gradient by 1e-7 / y[answer] of
# itself, under 1e-5 relative when every y[answer] >= 0.01 (the numerical check draws its
# batch so), well inside NUMERICAL_GRAD_REL_TOL.
MIN_ANSWER_PROBABILITY = 0.01


def _batch(rng, n=N, one_hot=True):
    x = rng.normal(scale=1.5, size=(n, C))
    labels = rng.integers(C, size=n)
    return x, (np.eye(C)[labels] if one_hot else labels)


def _check_loss(student, reference, x, t):
    assert_close(student.SoftmaxWithLoss().forward(x, t), reference.SoftmaxWithLoss().forward(x, t),
                 call="SoftmaxWithLoss().forward(x, t)", inputs={"x": x, "t": t},
                 rtol=tol.LOSS_RTOL, variants=cross_entropy_variants(softmax(x), t))


def _check_backward(student, reference, x, t):
    layer, ref = student.SoftmaxWithLoss(), reference.SoftmaxWithLoss()
    layer.forward(x, t)
    ref.forward(x, t)
    expected, variants = ref.backward(1), softmax_with_loss_backward_variants(x, t)
    assert_grad_close(layer.backward(1), expected, call="layer.backward(1)",
                      inputs={"x": x, "t": t}, variants=variants)
    # backward must not change what forward stored: the book starts from self.y.copy().
    onehot = t if t.ndim == 2 else np.eye(C)[t]
    twice = (softmax(x) - 2 * onehot) / x.shape[0]
    assert_grad_close(layer.backward(1), expected, call="layer.backward(1), called a second time",
                      inputs={"x": x, "t": t},
                      variants={**variants, "swl_backward_changes_y": twice})


@pytest.mark.points(2)
def test_forward_one_hot(student, reference, rng):
    """forward(x, t) with one-hot t (N, C) is the batch mean of the cross-entropy of softmax(x)"""
    _check_loss(student, reference, *_batch(rng))


@pytest.mark.points(2)
def test_forward_labels(student, reference, rng):
    """forward(x, t) with class labels t (N,) gives the same loss as with one-hot t"""
    _check_loss(student, reference, *_batch(rng, one_hot=False))


@pytest.mark.points(1)
def test_forward_one_sample(student, reference, rng):
    """forward(x, t) of one sample (x and one-hot t 1-D) is that sample's loss"""
    x, t = _batch(rng, n=1)
    _check_loss(student, reference, x[0], t[0])


@pytest.mark.points(2)
def test_forward_confident_scores(student, reference, rng):
    """forward(x, t) on the confident scores of a trained net (x of order 1000, half the answers far below the highest score) is finite, as the book's is"""
    x, labels = confident_scores(rng, N, C)
    t = np.eye(C)[labels]   # one-hot, so that only the labels test charges a layer without labels
    assert_confident_loss(student.SoftmaxWithLoss().forward(x, t), reference.SoftmaxWithLoss().forward(x, t),
                          x=x, t=t, call="SoftmaxWithLoss().forward(x, t)", inputs={"x": x, "t": t})


@pytest.mark.points(1)
def test_forward_leaves_inputs_unchanged(student, rng):
    """forward leaves x and t as they were"""
    x, t = _batch(rng)
    x_before, t_before = x.copy(), t.copy()
    student.inplace.SoftmaxWithLoss().forward(x, t)
    try:
        assert_restored(x_before, x, call="SoftmaxWithLoss().forward(x, t): x")
        assert_restored(t_before, t, call="SoftmaxWithLoss().forward(x, t): t")
    except CheckFailed as failed:
        raise CheckFailed(failed.feedback, msg("hint.backprop_layer_input_changed")) from None


@pytest.mark.points(2)
def test_backward_one_hot(student, reference, rng):
    """backward(1) after forward with one-hot t is (y - t) / N, the same on a second call"""
    _check_backward(student, reference, *_batch(rng))


@pytest.mark.points(2)
def test_backward_labels(student, reference, rng):
    """backward(1) after forward with class labels t is (y - one_hot(t)) / N, the same on a second call"""
    _check_backward(student, reference, *_batch(rng, one_hot=False))


@pytest.mark.points(2)
def test_backward_matches_own_forward(student, reference, rng):
    """backward(1) agrees with the numerical gradient of your own forward (the loss), and that loss depends on x as the softmax cross-entropy does"""
    x, t = _batch(rng)
    while softmax(x)[t == 1].min() < MIN_ANSWER_PROBABILITY:
        x, t = _batch(rng)
    layer = student.SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward(1)
    probe, ref = student.SoftmaxWithLoss(), reference.SoftmaxWithLoss()
    ref.forward(x, t)
    assert_own_grad_close(dx, numerical_grad_of(lambda v: probe.forward(v, t), x), ref.backward(1),
                          call="layer.backward(1) vs numerical d forward / dx",
                          inputs={"x": x, "t": t}, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                          variants=softmax_with_loss_backward_variants(x, t))


@pytest.mark.points(1)
def test_backward_uses_last_forward(student, reference, rng):
    """after forward on a batch of 4 and then one of 6, backward(1) is (y - t) / 6 for the second batch"""
    x1, t1 = _batch(rng)
    x2, t2 = _batch(rng, n=6)
    layer, ref = student.SoftmaxWithLoss(), reference.SoftmaxWithLoss()
    layer.forward(x1, t1)
    layer.forward(x2, t2)
    ref.forward(x2, t2)
    assert_grad_close(layer.backward(1), ref.backward(1), call="layer.backward(1)",
                      inputs={"x (2nd call)": x2, "t (2nd call)": t2},
                      variants=softmax_with_loss_backward_variants(x2, t2))

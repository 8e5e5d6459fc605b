"""cross_entropy_error: -sum(t * log(y + 1e-7)) / batch_size (sections 4.2.2-4.2.4)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close
from reference.ch04_training.hints import cross_entropy_variants

pytestmark = pytest.mark.item("cross_entropy_error")

BOOK_Y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
BOOK_T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])


def _probabilities(rng, shape):
    p = rng.random(shape) + 0.05
    return p / p.sum(axis=-1, keepdims=True)


def _check(student, reference, y, t):
    assert_close(student.cross_entropy_error(y, t), reference.cross_entropy_error(y, t),
                 call="cross_entropy_error(y, t)", inputs={"y": y, "t": t}, rtol=tol.LOSS_RTOL,
                 variants=cross_entropy_variants(y, t))


@pytest.mark.points(2)
def test_book_example(student, reference):
    """cross_entropy_error of the book's example (answer 2, predicted 0.6) is 0.5108"""
    _check(student, reference, BOOK_Y, BOOK_T)


@pytest.mark.points(3)
def test_batch_one_hot_is_the_mean(student, reference, rng):
    """for a batch (N, C) with one-hot t the loss is the mean over the N samples"""
    y = _probabilities(rng, (5, 4))
    _check(student, reference, y, np.eye(4)[rng.integers(4, size=5)])


@pytest.mark.points(3)
def test_batch_with_labels(student, reference, rng):
    """t may be class labels (N,) instead of one-hot: the same loss"""
    y = _probabilities(rng, (5, 4))
    _check(student, reference, y, rng.integers(4, size=5))


@pytest.mark.points(2)
def test_one_sample_with_label(student, reference, rng):
    """a 1-D y with a single label t works like a batch of one"""
    y = _probabilities(rng, 4)
    _check(student, reference, y, np.array([2]))


@pytest.mark.points(2)
def test_zero_probability_stays_finite(student, reference):
    """a predicted probability of exactly 0 for the answer gives a large but finite loss"""
    y = np.array([[0.0, 0.3, 0.7], [0.2, 0.5, 0.3]])
    _check(student, reference, y, np.array([[1, 0, 0], [0, 1, 0]]))

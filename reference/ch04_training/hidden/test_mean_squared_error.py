"""mean_squared_error: 0.5 * sum((y - t)**2) (section 4.2.1)."""

import numpy as np
import pytest

from autograder.grading.checks import assert_close
from reference.ch04_training.hints import mean_squared_variants

pytestmark = pytest.mark.item("mean_squared_error")

BOOK_Y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
BOOK_T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])


def _check(student, reference, y, t):
    assert_close(student.mean_squared_error(y, t), reference.mean_squared_error(y, t),
                 call="mean_squared_error(y, t)", inputs={"y": y, "t": t},
                 variants=mean_squared_variants(y, t))


@pytest.mark.points(2)
def test_book_example(student, reference):
    """mean_squared_error of the book's example (answer 2, predicted 0.6) is 0.0975"""
    _check(student, reference, BOOK_Y, BOOK_T)


@pytest.mark.points(2)
def test_random_vector(student, reference, rng):
    """mean_squared_error is 0.5 * sum((y - t)**2) for any pair of vectors"""
    y = rng.random(6)
    _check(student, reference, y, np.eye(6)[rng.integers(6)])


@pytest.mark.points(2)
def test_batch_sums_every_element(student, reference, rng):
    """mean_squared_error on (N, C) arrays sums the squared errors of every element"""
    y = rng.random((3, 4))
    _check(student, reference, y, np.eye(4)[rng.integers(4, size=3)])

"""softmax: exp(a - max) / sum(exp(a - max)) (section 3.5)."""

import numpy as np
import pytest

from autograder.grading.checks import assert_close
from reference.ch03_neural_networks.hints import softmax_variants

pytestmark = pytest.mark.item("softmax")


def _check(student, reference, x):
    assert_close(student.softmax(x), reference.softmax(x), call="softmax(x)", inputs={"x": x},
                 variants=softmax_variants(x))


@pytest.mark.points(3)
def test_values_on_a_vector(student, reference, rng):
    """softmax of one sample (a 1-D array) gives the right probabilities"""
    _check(student, reference, rng.normal(size=5))


def test_book_example(student, reference):
    """softmax([0.3, 2.9, 4.0]) matches the book's example"""
    _check(student, reference, np.array([0.3, 2.9, 4.0]))


@pytest.mark.points(2)
def test_large_values_do_not_overflow(student, reference):
    """softmax([1010, 1000, 990]) is finite: subtract the maximum before np.exp"""
    _check(student, reference, np.array([1010.0, 1000.0, 990.0]))


@pytest.mark.points(1)
def test_wide_spread_does_not_overflow(student, reference):
    """softmax([1000, 0, -1000]) is finite too: subtract the maximum (not the minimum)"""
    _check(student, reference, np.array([1000.0, 0.0, -1000.0]))


@pytest.mark.points(3)
def test_each_row_of_a_batch(student, reference, rng):
    """softmax of a batch (N, C) turns each row into probabilities that sum to 1"""
    _check(student, reference, rng.normal(size=(4, 3)))


def test_batch_with_large_values(student, reference, rng):
    """softmax of a batch with values around 1000 is finite, row by row"""
    _check(student, reference, 1000.0 + rng.normal(scale=5.0, size=(3, 4)))

"""sigmoid: 1 / (1 + exp(-x)) (section 3.2.4)."""

import numpy as np
import pytest

from autograder.grading.checks import assert_close, assert_true
from reference.ch03_neural_networks.hints import sigmoid_variants

pytestmark = pytest.mark.item("sigmoid")


@pytest.mark.points(2)
def test_values_on_a_vector(student, reference, rng):
    """sigmoid matches 1 / (1 + exp(-x)) on a 1-D array"""
    x = rng.normal(scale=3.0, size=8)
    assert_close(student.sigmoid(x), reference.sigmoid(x), call="sigmoid(x)", inputs={"x": x},
                 variants=sigmoid_variants(x))


def test_batch_keeps_shape(student, reference, rng):
    """sigmoid works element by element on a 2-D array"""
    x = rng.normal(scale=3.0, size=(4, 3))
    assert_close(student.sigmoid(x), reference.sigmoid(x), call="sigmoid(x)", inputs={"x": x},
                 variants=sigmoid_variants(x))


def test_half_at_zero(student, reference):
    """sigmoid(0) is 0.5"""
    x = np.array([0.0])
    assert_close(student.sigmoid(x), reference.sigmoid(x), call="sigmoid(x)", inputs={"x": x})


@pytest.mark.points(2)
def test_large_inputs_stay_between_zero_and_one(student, reference):
    """sigmoid of very large or very negative inputs is still a number in [0, 1]"""
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    y = assert_close(student.sigmoid(x), reference.sigmoid(x), call="sigmoid(x)", inputs={"x": x},
                     variants=sigmoid_variants(x))
    assert_true(bool(np.all((y >= 0) & (y <= 1))), call="sigmoid(x)", what="0 <= y <= 1",
                returned=y)

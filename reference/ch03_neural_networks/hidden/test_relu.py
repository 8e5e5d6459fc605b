"""relu: max(0, x) (section 3.2.7)."""

import numpy as np
import pytest

from autograder.grading.checks import assert_close, assert_restored

pytestmark = pytest.mark.item("relu")


@pytest.mark.points(3)
def test_values_on_a_vector(student, reference, rng):
    """relu keeps positive values and turns negative ones into 0"""
    x = np.concatenate([rng.normal(size=6), [0.0, -0.0]])
    assert_close(student.relu(x), reference.relu(x), call="relu(x)", inputs={"x": x})


def test_batch_keeps_shape(student, reference, rng):
    """relu works element by element on a 2-D array"""
    x = rng.normal(size=(3, 5))
    assert_close(student.relu(x), reference.relu(x), call="relu(x)", inputs={"x": x})


def test_input_left_unchanged(student, rng):
    """relu returns a new array and leaves its input as it was"""
    x = rng.normal(size=6)
    before = x.copy()
    student.inplace.relu(x)
    assert_restored(before, x, call="relu(x)")

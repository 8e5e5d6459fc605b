"""step_function: 1 where x > 0, else 0 (section 3.2.3)."""

import numpy as np
import pytest

from autograder.grading.checks import assert_close, assert_dtype_kind

pytestmark = pytest.mark.item("step_function")


@pytest.mark.points(3)
def test_values_on_a_vector(student, reference, rng):
    """step_function gives 0 or 1 for each element of a 1-D array"""
    x = rng.normal(size=8)
    assert_close(student.step_function(x), reference.step_function(x),
                 call="step_function(x)", inputs={"x": x})


def test_zero_maps_to_zero(student, reference):
    """step_function(0) is 0: only strictly positive inputs give 1"""
    x = np.array([-1.0, 0.0, 1.0])
    assert_close(student.step_function(x), reference.step_function(x),
                 call="step_function(x)", inputs={"x": x})


def test_batch_keeps_shape(student, reference, rng):
    """step_function works element by element on a 2-D array"""
    x = rng.normal(size=(3, 4))
    assert_close(student.step_function(x), reference.step_function(x),
                 call="step_function(x)", inputs={"x": x})


def test_returns_numbers_not_bools(student, rng):
    """step_function returns numbers (int or float), not True/False"""
    x = rng.normal(size=5)
    assert_dtype_kind(student.step_function(x), "iuf", call="step_function(x)",
                      want="int/float", inputs={"x": x})

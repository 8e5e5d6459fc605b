"""identity_function: the output layer of a regression network (section 3.4.3)."""

import pytest

from autograder.grading.checks import assert_close

pytestmark = pytest.mark.item("identity_function")


@pytest.mark.points(2)
def test_returns_its_input(student, reference, rng):
    """identity_function(x) returns x unchanged"""
    x = rng.normal(size=(2, 3))
    assert_close(student.identity_function(x), reference.identity_function(x),
                 call="identity_function(x)", inputs={"x": x})

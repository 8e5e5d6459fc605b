"""gradient_descent(f, init_x, lr, step_num): step_num steps of x -= lr * grad (section 4.4.1)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close

pytestmark = pytest.mark.item("gradient_descent")


def function_2(x):
    return float(np.sum(x ** 2))


@pytest.mark.points(3)
def test_book_example(student, reference):
    """gradient_descent(function_2, [-3.0, 4.0], lr=0.1, step_num=100) ends near [0, 0]"""
    expected = reference.gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)
    got = student.gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)
    assert_close(got, expected, call="gradient_descent(function_2, init_x, lr=0.1, step_num=100)",
                 inputs={"init_x": np.array([-3.0, 4.0])},
                 rtol=tol.DESCENT_RTOL, atol=tol.DESCENT_ATOL)


@pytest.mark.points(2)
def test_default_learning_rate_and_steps(student, reference, rng):
    """with the defaults lr=0.01, step_num=100, x moves part of the way to the minimum"""
    center = rng.normal(size=3)

    def bowl(x):
        return float(np.sum((x - center) ** 2))

    init_x = rng.normal(size=3)
    expected = reference.gradient_descent(bowl, init_x.copy())
    assert_close(student.gradient_descent(bowl, init_x.copy()), expected,
                 call="gradient_descent(f, init_x)", inputs={"init_x": init_x},
                 rtol=tol.DESCENT_RTOL, atol=tol.DESCENT_ATOL)

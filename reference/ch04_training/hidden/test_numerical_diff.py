"""numerical_diff: the central difference (f(x+h) - f(x-h)) / (2h), h = 1e-4 (section 4.3.1)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close
from reference.ch04_training.hints import numerical_diff_variants

pytestmark = pytest.mark.item("numerical_diff")


def function_1(x):
    return 0.01 * x ** 2 + 0.1 * x


def cube(x):
    return x ** 3


def _check(student, reference, f, x):
    assert_close(student.numerical_diff(f, x), reference.numerical_diff(f, x),
                 call=f"numerical_diff({f.__name__}, x)", inputs={"x": x},
                 rtol=tol.NUMERICAL_DIFF_RTOL, atol=tol.NUMERICAL_DIFF_ATOL,
                 variants=numerical_diff_variants(f, x))


@pytest.mark.points(2)
def test_book_function_at_5(student, reference):
    """numerical_diff(function_1, 5) is about 0.2, as in the book"""
    _check(student, reference, function_1, 5.0)


@pytest.mark.points(3)
def test_central_difference_on_a_cube(student, reference, rng):
    """numerical_diff of x**3 uses the central difference (a one-sided one misses)"""
    _check(student, reference, cube, float(rng.uniform(1.0, 3.0)))


@pytest.mark.points(2)
def test_exp_at_a_random_point(student, reference, rng):
    """numerical_diff(np.exp, x) is about exp(x)"""
    _check(student, reference, np.exp, float(rng.uniform(-1.0, 1.0)))

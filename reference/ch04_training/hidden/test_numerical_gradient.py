"""numerical_gradient(f, x): central differences for every element of x (sections 4.4, 4.4.2)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_restored
from reference.ch04_training.hints import numerical_gradient_variants

pytestmark = pytest.mark.item("numerical_gradient")


def function_2(x):
    return float(np.sum(x ** 2))


def wavy(x):
    return float(np.sum(np.sin(x) * x))


def _check(student, reference, f, x):
    expected = reference.numerical_gradient(f, x.copy())
    assert_close(student.numerical_gradient(f, x.copy()), expected,
                 call=f"numerical_gradient({f.__name__}, x)", inputs={"x": x},
                 rtol=tol.NUMERICAL_DIFF_RTOL, atol=tol.NUMERICAL_DIFF_ATOL)


@pytest.mark.points(3)
def test_book_example(student, reference):
    """numerical_gradient(function_2, [3.0, 4.0]) is about [6, 8]"""
    _check(student, reference, function_2, np.array([3.0, 4.0]))


@pytest.mark.points(2)
def test_vector(student, reference, rng):
    """numerical_gradient works for a 1-D x of any length"""
    _check(student, reference, wavy, rng.normal(size=5))


@pytest.mark.points(3)
def test_matrix(student, reference, rng):
    """numerical_gradient works for a 2-D x (a weight matrix), same shape back"""
    _check(student, reference, wavy, rng.normal(size=(3, 4)))


# f(W) = (sum of W * A)**2 mixes every element of W with its own weight in A, so only the
# whole matrix, element by element, gives its gradient 2 * sum(W * A) * A: a row passed
# to f alone (as in code that loops over the rows of x) broadcasts against all of A.
# Compared loosely on purpose: an x left h off after each element, or a one-sided
# difference, shifts this gradient by about h relative (1e-4), and those slips are
# charged by test_x_restored and the tests above; passing rows misses by a factor.
WHOLE_ARRAY_RTOL = 1e-3


@pytest.mark.points(2)
def test_whole_matrix_goes_to_f(student, reference, rng):
    """numerical_gradient passes the whole 2-D x to f, so f may mix its elements (f(W) = (sum W*A)**2)"""
    A = rng.uniform(1.0, 2.0, size=(3, 4))

    def mixed(W):
        return float(np.sum(W * A)) ** 2

    x = rng.uniform(1.0, 2.0, size=(3, 4))
    expected = reference.numerical_gradient(mixed, x.copy())
    assert_close(student.numerical_gradient(mixed, x.copy()), expected,
                 call="numerical_gradient(f, x) with f(W) = np.sum(W * A) ** 2",
                 inputs={"x": x, "A": A}, rtol=WHOLE_ARRAY_RTOL, atol=tol.NUMERICAL_DIFF_ATOL,
                 variants=numerical_gradient_variants(mixed, x))


@pytest.mark.points(2)
def test_x_restored(student, rng):
    """after numerical_gradient(f, x), every element of x has its original value again"""
    x = rng.normal(size=(2, 3))
    before = x.copy()
    student.inplace.numerical_gradient(wavy, x)
    assert_restored(before, x, call="numerical_gradient(f, x)")

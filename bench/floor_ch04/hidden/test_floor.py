"""The floor's eight asserts (bench/class_bench.py PLAIN), one test each."""

import numpy as np
import pytest

from autograder.grading.resident import function
from reference.ch04_training import losses

Y = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])
T = np.array([[0, 1, 0], [0, 0, 1]])
X = np.array([3.0, 4.0])


# Resident beside the student's code, as the ch04 suite's functions are: the floor calls
# f in its own process, and so does the student's code here.
SQUARE_SUM = """
def make():
    import numpy as np
    def square_sum(x):
        return np.sum(x ** 2)
    return square_sum
"""


@pytest.mark.item("mean_squared_error")
@pytest.mark.points(1)
def test_mse_one_sample(student):
    """mean_squared_error on one sample"""
    assert np.allclose(student.mean_squared_error(Y[0], T[0]), losses.mean_squared_error(Y[0], T[0]))


@pytest.mark.item("mean_squared_error")
@pytest.mark.points(1)
def test_mse_batch(student):
    """mean_squared_error on a batch"""
    assert np.allclose(student.mean_squared_error(Y, T), losses.mean_squared_error(Y, T))


@pytest.mark.item("cross_entropy_error")
@pytest.mark.points(1)
def test_cee_one_sample(student):
    """cross_entropy_error on one sample"""
    assert np.allclose(student.cross_entropy_error(Y[0], T[0]), losses.cross_entropy_error(Y[0], T[0]))


@pytest.mark.item("cross_entropy_error")
@pytest.mark.points(1)
def test_cee_batch(student):
    """cross_entropy_error on a batch"""
    assert np.allclose(student.cross_entropy_error(Y, T), losses.cross_entropy_error(Y, T))


@pytest.mark.item("cross_entropy_error")
@pytest.mark.points(1)
def test_cee_labels(student):
    """cross_entropy_error with labels"""
    labels = T.argmax(1)
    assert np.allclose(student.cross_entropy_error(Y, labels), losses.cross_entropy_error(Y, labels))


@pytest.mark.item("numerical_diff")
@pytest.mark.points(1)
def test_numerical_diff(student):
    """numerical_diff of x ** 2 at 3"""
    assert np.allclose(student.numerical_diff(lambda v: v ** 2, 3.0), 6.0, atol=1e-4)


@pytest.mark.item("numerical_gradient")
@pytest.mark.points(1)
def test_numerical_gradient(student):
    """numerical_gradient of sum(x ** 2) at (3, 4)"""
    _, square_sum = function(student, SQUARE_SUM)
    assert np.allclose(student.numerical_gradient(square_sum, X.copy()), [6.0, 8.0], atol=1e-4)


@pytest.mark.item("gradient_descent")
@pytest.mark.points(1)
def test_gradient_descent(student):
    """gradient_descent on sum(x ** 2) from (3, 4)"""
    _, square_sum = function(student, SQUARE_SUM)
    assert np.allclose(student.gradient_descent(square_sum, X.copy(), lr=0.1, step_num=100), [0.0, 0.0],
                       atol=1e-3)

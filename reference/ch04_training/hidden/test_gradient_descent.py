"""gradient_descent(f, init_x, lr, step_num): step_num steps of x -= lr * grad (section 4.4.1)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close
from autograder.grading.own import assert_reference_or_own
from autograder.grading.resident import function
from reference.ch04_training.own_helpers import numerical_gradient_helper
from reference.ch04_training.hints import gradient_descent_variants

pytestmark = pytest.mark.item("gradient_descent")


# The functions descended are resident where the student's code runs (resident.function):
# gradient_descent calls f hundreds of times, and a callback costs a round trip each.
FUNCTION_2 = """
def make():
    import numpy as np
    def function_2(x):
        return float(np.sum(x ** 2))
    return function_2
"""

BOWL = """
def make(center):
    import numpy as np
    def bowl(x):
        return float(np.sum((x - center) ** 2))
    return bowl
"""


def _descent_with_own_gradient(student, f, init_x, lr, step_num):
    """The book's loop, calling the student's own numerical_gradient on the student's x.

    gradient_descent is judged on its loop: a numerical_gradient that misses (a one-sided
    difference, an x left h off) is charged by numerical_gradient's own tests, not again
    here. `inplace`, because the book's loop hands the same x to every call."""
    x = np.array(init_x, dtype=np.float64)
    for _ in range(step_num):
        x -= lr * np.asarray(student.inplace.numerical_gradient(f, x), dtype=np.float64)
    return x


def _check(student, reference, functions, init_x, call, **kwargs):
    """`functions`: the pair resident.function returns (f here, and f where the student's code runs)."""
    here, f = functions
    expected = reference.gradient_descent(here, init_x.copy(), **kwargs)
    got = student.gradient_descent(f, init_x.copy(), **kwargs)
    lr, step_num = kwargs.get("lr", 0.01), kwargs.get("step_num", 100)

    def again(rng):
        x2 = rng.normal(size=init_x.shape)
        return (lambda: _descent_with_own_gradient(student, f, x2, lr, step_num),
                lambda: student.gradient_descent(f, x2.copy(), **kwargs))

    assert_reference_or_own(
        assert_close, got, expected,
        lambda: _descent_with_own_gradient(student, f, init_x, lr, step_num),
        helpers=(numerical_gradient_helper(student, init_x),), again=again, call=call,
        inputs={"init_x": init_x}, rtol=tol.DESCENT_RTOL, atol=tol.DESCENT_ATOL,
        variants=gradient_descent_variants(here, init_x, lr, step_num))


@pytest.mark.points(3)
def test_book_example(student, reference):
    """gradient_descent(function_2, [-3.0, 4.0], lr=0.1, step_num=100) ends near [0, 0]"""
    _check(student, reference, function(student, FUNCTION_2), np.array([-3.0, 4.0]),
           "gradient_descent(function_2, init_x, lr=0.1, step_num=100)", lr=0.1, step_num=100)


@pytest.mark.points(2)
def test_default_learning_rate_and_steps(student, reference, rng):
    """with the defaults lr=0.01, step_num=100, x moves part of the way to the minimum"""
    bowl = function(student, BOWL, rng.normal(size=3))
    _check(student, reference, bowl, rng.normal(size=3), "gradient_descent(f, init_x)")


@pytest.mark.points(1)
def test_takes_step_num_steps_of_size_lr(student, reference, rng):
    """gradient_descent(f, init_x, lr=0.2, step_num=7) takes exactly 7 steps of size lr"""
    bowl = function(student, BOWL, rng.normal(size=2))
    _check(student, reference, bowl, rng.normal(size=2),
           "gradient_descent(f, init_x, lr=0.2, step_num=7)", lr=0.2, step_num=7)

"""Public checks of numerical differentiation and gradient descent, against calculus: the
derivative of x**2 is 2x, and x0**2 + x1**2 is smallest at (0, 0)."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

DERIVATIVE = Fact("해석적 미분값과 같음", "equals the derivative from calculus")


def _number(value, call):
    return expect.scalar(value, call)


def _own_gradient_is_right(student) -> bool:
    """Does your numerical_gradient give 2x for sum(x²) and leave x as it was? Descent tests
    hold gradient_descent to the minimum only then: a slip in numerical_gradient is that
    item's (its own tests say so), not charged again here, as in grading."""
    x = np.array([-3.0, 4.0, 0.5])
    try:
        grad = np.asarray(student.inplace.numerical_gradient(lambda v: np.sum(v ** 2), x), dtype=float)
    except Exception:  # noqa: BLE001 - missing or broken: numerical_gradient's tests say why
        return False
    # As close as numerical_gradient's own test asks: a forward difference (off by h) is not.
    return grad.shape == x.shape and np.allclose(grad, 2 * np.array([-3.0, 4.0, 0.5]), rtol=1e-5, atol=1e-7) \
        and np.array_equal(x, [-3.0, 4.0, 0.5])


@pytest.mark.item("numerical_diff")
def test_numerical_diff_of_the_books_function(student):
    """f(x) = 0.01x² + 0.1x 의 x = 5, 10 에서의 미분이 해석적 미분 0.02x + 0.1 과 같다
    the derivative of f(x) = 0.01x² + 0.1x at x = 5 and 10 equals 0.02x + 0.1"""
    def f(x):
        return 0.01 * x ** 2 + 0.1 * x
    for x in (5.0, 10.0):
        expect.close(_number(student.numerical_diff(f, x), f"numerical_diff(f, {x:g})"), 0.02 * x + 0.1,
                     DERIVATIVE, f"numerical_diff(f, {x:g})", "hint.central_difference", rtol=1e-6)


@pytest.mark.item("numerical_diff")
def test_numerical_diff_is_a_central_difference(student):
    """x³ 의 x = 1 에서의 미분이 3 과 1e-6 안에서 같다 (전방 차분으로는 부족하다)
    the derivative of x³ at 1 is 3 within 1e-6 (a forward difference is not that close)"""
    expect.close(_number(student.numerical_diff(lambda x: x ** 3, 1.0), "numerical_diff(f, 1)"), 3.0,
                 DERIVATIVE, "numerical_diff(x ** 3, 1)", "hint.central_difference", rtol=0, atol=1e-6)


@pytest.mark.item("numerical_gradient")
def test_numerical_gradient_of_a_sum_of_squares(student, rng):
    """f(x) = Σx² 의 기울기는 2x 이다 (1차원과 2차원 x 모두)
    the gradient of f(x) = Σx² is 2x, for 1-D and 2-D x"""
    for shape in ((3,), (2, 3)):
        x = rng.normal(size=shape)
        grad = expect.shape(student.numerical_gradient(lambda v: np.sum(v ** 2), x), shape,
                            "numerical_gradient(f, x)", "hint.return_array")
        expect.close(grad, 2 * x, DERIVATIVE, "numerical_gradient(f, x)", "hint.central_difference",
                     rtol=1e-5, atol=1e-7)


@pytest.mark.item("numerical_gradient")
def test_numerical_gradient_restores_x(student, rng):
    """계산이 끝나면 x 는 원래 값 그대로다
    x holds its original values after the call"""
    x = rng.normal(size=(2, 2))
    before = x.copy()
    student.inplace.numerical_gradient(lambda v: np.sum(v ** 3), x)
    expect.close(x, before, Fact("x 가 원래대로", "x is restored"), "numerical_gradient(f, x)",
                 "hint.restore_input", rtol=0, atol=0)


@pytest.mark.item("gradient_descent")
def test_gradient_descent_finds_the_minimum(student):
    """f(x) = x0² + x1² 를 (-3, 4) 에서 lr=0.2 로 40번 내려가면 최솟값 (0, 0) 에 닿는다
    40 steps of lr=0.2 from (-3, 4) on f(x) = x0² + x1² reach the minimum (0, 0)"""
    x = expect.shape(student.gradient_descent(lambda v: np.sum(v ** 2), np.array([-3.0, 4.0]),
                                              lr=0.2, step_num=40), (2,), "gradient_descent(f, init_x)")
    if _own_gradient_is_right(student):
        expect.close(x, [0.0, 0.0], Fact("최솟값 (0, 0) 근처", "near the minimum (0, 0)"),
                     "gradient_descent(f, init_x)", "hint.step_direction", atol=1e-6)


@pytest.mark.item("gradient_descent")
def test_gradient_descent_on_a_shifted_bowl(student):
    """(x - c)² 의 합은 c 에서 가장 작으므로 c 에 닿는다
    the sum of (x - c)² is smallest at c, so descent ends at c"""
    c = np.array([1.5, -2.0, 0.5])
    x = expect.shape(student.gradient_descent(lambda v: np.sum((v - c) ** 2), np.zeros(3),
                                              lr=0.3, step_num=30), (3,), "gradient_descent(f, init_x)")
    if _own_gradient_is_right(student):
        expect.close(x, c, Fact("최솟값 c 근처", "near the minimum c"), "gradient_descent(f, init_x)",
                     "hint.step_direction", atol=1e-6)


@pytest.mark.item("gradient_descent")
def test_gradient_descent_one_step_goes_downhill(student):
    """한 걸음만 가도 f 가 줄어든다
    a single step already lowers f"""
    f = lambda v: np.sum(v ** 2)  # noqa: E731
    start = np.array([-3.0, 4.0])
    x = expect.shape(student.gradient_descent(f, start.copy(), lr=0.1, step_num=1), (2,),
                     "gradient_descent(f, init_x, step_num=1)")
    expect.holds(f(x) < f(start), Fact("f 가 줄어듦", "f decreases"), "gradient_descent(f, init_x, step_num=1)",
                 "hint.step_direction")

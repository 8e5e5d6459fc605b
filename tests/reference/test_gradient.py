import numpy as np
import pytest

from reference.ch04_training.gradient import gradient_descent, numerical_diff, numerical_gradient
from reference.ch04_training.simple_net import simpleNet


def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    return np.sum(x**2)


def test_numerical_diff_book_values():
    # True derivatives are 0.2 and 0.3; the book prints these central-difference values.
    assert numerical_diff(function_1, 5) == pytest.approx(0.1999999999990898, rel=1e-12)
    assert numerical_diff(function_1, 10) == pytest.approx(0.2999999999986347, rel=1e-12)


@pytest.mark.parametrize(
    "point, expected", [((3.0, 4.0), (6.0, 8.0)), ((0.0, 2.0), (0.0, 4.0)), ((3.0, 0.0), (6.0, 0.0))]
)
def test_numerical_gradient_book_values(point, expected):
    grad = numerical_gradient(function_2, np.array(point))
    np.testing.assert_allclose(grad, expected, rtol=1e-9, atol=1e-9)


def test_numerical_gradient_restores_x_exactly(rng):
    x = rng.normal(size=(3, 4))
    before = x.copy()
    numerical_gradient(function_2, x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 2)])
def test_numerical_gradient_any_shape(rng, shape):
    x = rng.normal(size=shape)
    c = rng.normal(size=shape)
    # f = sum(c * x^2) has gradient 2 c x; quadratics are exact for central differences.
    grad = numerical_gradient(lambda z: np.sum(c * z**2), x)
    assert grad.shape == shape
    np.testing.assert_allclose(grad, 2 * c * x, rtol=1e-8, atol=1e-10)


def test_numerical_gradient_perturbs_the_callers_array():
    # The book's `lambda W: net.loss(x, t)` ignores its argument: it only works because
    # the very array passed in is the one perturbed.
    w = np.array([1.0, -2.0])
    grad = numerical_gradient(lambda _: np.sum(w**3), w)
    np.testing.assert_allclose(grad, 3 * w**2, rtol=1e-7)


def test_numerical_gradient_rejects_int_input():
    with pytest.raises(TypeError):
        numerical_gradient(function_2, np.array([3, 4]))


def test_gradient_descent_reaches_the_minimum():
    init_x = np.array([-3.0, 4.0])
    x = gradient_descent(function_2, init_x, lr=0.1, step_num=100)
    # Each step multiplies x by (1 - 2*lr) = 0.8: 0.8**100 * 5 is about 1e-9.
    assert np.all(np.abs(x) < 1e-8)
    np.testing.assert_array_equal(init_x, [-3.0, 4.0])


def test_gradient_descent_learning_rate_extremes():
    # Book 4.4.1: too large a rate diverges, too small barely moves.
    big = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=10.0, step_num=100)
    small = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=1e-10, step_num=100)
    assert np.max(np.abs(big)) > 1e10
    np.testing.assert_allclose(small, [-3.0, 4.0], rtol=1e-6)


def test_simple_net_book_values(np_seed):
    # Section 4.4.2 prints these for the W it happened to draw.
    net = simpleNet()
    assert net.W.shape == (2, 3)
    net.W[...] = [[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]]
    x = np.array([0.6, 0.9])
    t = np.array([0, 0, 1])
    np.testing.assert_allclose(net.predict(x), [1.05414809, 0.63071653, 1.1328074], atol=1e-8)
    # The book prints 0.92806853663411326, which is the loss without the 1e-7 inside the
    # log; with it the loss is lower by about 1e-7 / y[2] = 2.5e-7, hence rel=1e-6.
    assert net.loss(x, t) == pytest.approx(0.92806853663411326, rel=1e-6)
    assert net.loss(x, 2) == pytest.approx(net.loss(x, t), rel=1e-15)
    dW = numerical_gradient(lambda _: net.loss(x, t), net.W)
    expected = [[0.21924763, 0.14356247, -0.36281009], [0.32887144, 0.2153437, -0.54421514]]
    np.testing.assert_allclose(dW, expected, atol=1e-7)

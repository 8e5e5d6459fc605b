"""Does the numerical gradient of a black-box forward match known derivatives?"""

import numpy as np

from autograder.grading.gradcheck import numerical_grad_of


def test_gradient_of_a_sum_of_squares_is_twice_x():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert np.allclose(numerical_grad_of(lambda a: a ** 2, x), 2 * x, rtol=1e-8)


def test_dout_weights_the_output_like_a_backward_pass():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(3, 2))
    x = rng.normal(size=(4, 3))
    dout = rng.normal(size=(4, 2))
    assert np.allclose(numerical_grad_of(lambda a: a @ W, x, dout), dout @ W.T, rtol=1e-7)


def test_a_forward_that_changes_its_input_does_not_disturb_the_probe():
    def forward(a):
        a *= 0  # a student's in-place slip
        return np.sum(a ** 2)
    x = np.array([1.0, 2.0])
    # Every probe sees zeros after the slip: the gradient is what that forward computes.
    assert np.allclose(numerical_grad_of(forward, x), 0.0)
    assert np.array_equal(x, [1.0, 2.0])

"""Does the numerical gradient of a black-box forward match known derivatives, and does
agreeing with a forward that computes nothing (a constant, the identity) pay nothing?"""

import numpy as np
import pytest

from autograder.grading.checks import CheckFailed
from autograder.grading.gradcheck import assert_own_grad_close, forward_degeneracy, numerical_grad_of


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


# --- a forward that computes nothing: agreeing with it pays nothing ------------------


def _relu_case():
    rng = np.random.default_rng(1)
    x = rng.choice([-1.0, 1.0], size=(3, 4)) * rng.uniform(0.1, 2.0, size=(3, 4))
    dout = rng.normal(size=(3, 4))
    return x, dout, np.where(x > 0, dout, 0.0)


def test_a_constant_forward_is_degenerate():
    x, dout, reference = _relu_case()
    numerical = numerical_grad_of(lambda a: np.zeros_like(a), x, dout)
    assert forward_degeneracy(numerical, reference, dout) == "constant"
    # ...and the backward of zeros that agrees with it fails, saying why.
    with pytest.raises(CheckFailed) as failed:
        assert_own_grad_close(np.zeros_like(x), numerical, reference, call="relu.backward(dout)",
                              dout=dout)
    assert failed.value.feedback.headline.key == "grading.own_forward_constant"


@pytest.mark.parametrize("scale", [1.0, 0.5, -2.0])
def test_a_forward_that_passes_its_input_on_is_degenerate(scale):
    x, dout, reference = _relu_case()
    numerical = numerical_grad_of(lambda a: scale * a + 1.0, x, dout)
    assert forward_degeneracy(numerical, reference, dout) == "passthrough"
    with pytest.raises(CheckFailed) as failed:
        assert_own_grad_close(scale * dout, numerical, reference, call="relu.backward(dout)",
                              dout=dout)
    assert failed.value.feedback.headline.key == "grading.own_forward_passthrough"


def test_a_scalar_forward_of_a_plain_sum_is_degenerate():
    """dout=None (a loss): a constant gradient is the sum passed on."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 3))
    t = np.eye(3)[[0, 1, 2, 0]]
    y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    numerical = numerical_grad_of(lambda a: float(np.sum(a)), x)
    assert forward_degeneracy(numerical, (y - t) / 4) == "passthrough"


def test_a_forward_with_a_slip_of_its_own_still_earns_its_consistent_backward():
    """ReLU with the mask the wrong way round, sigmoid with exp(x): wrong forwards, but
    ones that compute; a backward that agrees with them passes this check."""
    x, dout, reference = _relu_case()
    flipped = numerical_grad_of(lambda a: np.minimum(a, 0.0), x, dout)
    assert forward_degeneracy(flipped, reference, dout) == ""
    assert_own_grad_close(np.where(x < 0, dout, 0.0), flipped, reference, call="relu.backward(dout)",
                          dout=dout)
    y = 1 / (1 + np.exp(-x))
    wrong_sigmoid = numerical_grad_of(lambda a: 1 / (1 + np.exp(a)), x, dout)
    assert forward_degeneracy(wrong_sigmoid, dout * y * (1 - y), dout) == ""


def test_a_node_whose_job_is_to_pass_dout_on_may_do_so():
    """The add node's gradient is dout; a biased gradient whose truth is zero (before batch
    norm) may be zero."""
    rng = np.random.default_rng(3)
    dout = rng.normal(size=(2, 3))
    assert forward_degeneracy(dout.copy(), dout, dout) == ""
    assert forward_degeneracy(np.zeros(4), np.full(4, 1e-17), None) == ""


def test_only_zeros_are_trivial_when_the_gradient_is_not_shaped_like_dout():
    rng = np.random.default_rng(4)
    x, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 2))
    dW = x.T @ dout
    assert forward_degeneracy(np.zeros_like(dW), dW, dout) == "constant"
    assert forward_degeneracy(2 * dW, dW, dout) == ""


def test_a_two_input_node_may_pass_dout_on_but_not_ignore_an_input():
    """MulLayer written as x + y: dx = dy = dout, a forward that still uses both inputs;
    `return x` has dy = 0."""
    rng = np.random.default_rng(5)
    x, y, dout = (rng.normal(size=(2, 3)) for _ in range(3))
    added = numerical_grad_of(lambda v: v + y, x, dout)
    assert forward_degeneracy(added, dout * y, dout, passthrough_ok=True) == ""
    ignored = numerical_grad_of(lambda v: x, y, dout)
    assert forward_degeneracy(ignored, dout * x, dout, passthrough_ok=True) == "constant"

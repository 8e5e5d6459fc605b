"""Public checks of SimpleConvNet on a small input: the layout of params, and
backpropagation against the student's own numerical gradient."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

pytestmark = pytest.mark.item("SimpleConvNet")

# Two input channels and three filters, so a gradient with its filter and channel axes mixed
# up, or pooled values put back in the wrong channels, differs from the right one.
INPUT_DIM = (2, 6, 6)
CONV_PARAM = {"filter_num": 3, "filter_size": 3, "pad": 0, "stride": 1}
HIDDEN, OUTPUT = 5, 4
# conv 6x6 -> 4x4, pool 2x2 -> 2x2, so the first affine layer takes 3 * 2 * 2 = 12 inputs.
SHAPES = {"W1": (3, 2, 3, 3), "b1": (3,), "W2": (12, 5), "b2": (5,), "W3": (5, 4), "b3": (4,)}
CALL = "SimpleConvNet((2, 6, 6), {'filter_num': 3, 'filter_size': 3, 'pad': 0, 'stride': 1}, 5, 4)"


def _net(student):
    # Positional, in the book's order: the parameter names are the student's to choose.
    return student.SimpleConvNet(INPUT_DIM, dict(CONV_PARAM), HIDDEN, OUTPUT)


def _batch(rng, n=3):
    return rng.normal(size=(n, *INPUT_DIM)), np.eye(OUTPUT)[rng.integers(OUTPUT, size=n)]


def _weights(rng) -> dict:
    """Parameters from the test's own generator (never np.random), so every draw shows a
    wrong backward. Every gradient is clearly nonzero: the pooled values are >= 0 (ReLU,
    then a max), so a hidden unit with positive incoming weights and a positive bias is
    active on every sample, and the loss always reaches the convolution through it (with
    random weights the whole hidden layer can be off, and every backward then agrees).
    The other hidden units and the convolution's ReLU stay random, some on, some off.
    The values stay of order 1 and the scores moderate, so no label is so unlikely that
    the 1e-7 inside the loss's log moves the numerical gradient."""
    scale = {"W1": 1 / np.sqrt(2 * 3 * 3), "W2": 1 / np.sqrt(12), "W3": 0.1}
    values = {key: rng.normal(scale=scale.get(key, 0.5), size=want) for key, want in SHAPES.items()}
    values["W2"][:, 0] = np.abs(values["W2"][:, 0])
    values["b2"] = rng.uniform(0.1, 1.0, size=SHAPES["b2"])
    return values


def test_params_layout(student):
    """params 는 W1 (3, 2, 3, 3), b1, W2 (12, 5), b2, W3 (5, 4), b3 이다
    params holds W1 (3, 2, 3, 3), b1, W2 (12, 5), b2, W3 (5, 4), b3"""
    params = expect.keys(_net(student).params, SHAPES, f"{CALL}.params")
    for key, want in SHAPES.items():
        expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")


def test_predict_and_loss(student, rng):
    """predict 는 (N, 4) 점수를, loss 는 0 이상인 숫자 하나를 돌려준다
    predict gives (N, 4) scores and loss one number >= 0"""
    net, (x, t) = _net(student), _batch(rng)
    expect.shape(net.predict(x), (3, OUTPUT), "net.predict(x)")
    expect.holds(expect.scalar(net.loss(x, t), "net.loss(x, t)") >= 0, Fact("손실 >= 0", "loss >= 0"), "net.loss(x, t)")


def test_gradient_check(student, rng, set_params):
    """net.gradient 가 여러분의 net.numerical_gradient 와 같다 (기울기 확인)
    net.gradient agrees with your net.numerical_gradient (gradient check)"""
    net = _net(student)
    params = expect.keys(net.params, SHAPES, f"{CALL}.params")
    for key, want in SHAPES.items():
        expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")

    def check(_):
        # Fresh weights and data each attempt: a ReLU kink or a max-pool switch hit by
        # chance spoils the numerical gradient of a right network too, never of all draws.
        set_params(net, _weights(rng))
        x, t = _batch(rng)
        numeric = expect.keys(net.numerical_gradient(x, t), SHAPES, "net.numerical_gradient(x, t)")
        analytic = expect.keys(net.gradient(x, t), SHAPES, "net.gradient(x, t)")
        for key in SHAPES:
            expect.gradient(analytic[key], numeric[key], f"net.gradient(x, t)['{key}']", limit=1e-3)
    expect.on_fresh_draws(check)

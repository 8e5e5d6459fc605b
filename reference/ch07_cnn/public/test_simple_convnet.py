"""Public checks of SimpleConvNet on a small input: the layout of params, and
backpropagation against the student's own numerical gradient."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

pytestmark = pytest.mark.item("SimpleConvNet")

CONFIG = {"input_dim": (1, 6, 6), "conv_param": {"filter_num": 2, "filter_size": 3, "pad": 0, "stride": 1},
          "hidden_size": 4, "output_size": 3}
# conv 6x6 -> 4x4, pool 2x2 -> 2x2, so the first affine layer takes 2 * 2 * 2 = 8 inputs.
SHAPES = {"W1": (2, 1, 3, 3), "b1": (2,), "W2": (8, 4), "b2": (4,), "W3": (4, 3), "b3": (3,)}


def _batch(rng, n=3):
    return rng.normal(size=(n, 1, 6, 6)), np.eye(3)[rng.integers(3, size=n)]


def test_params_layout(student):
    """params 는 W1 (2, 1, 3, 3), b1, W2 (8, 4), b2, W3 (4, 3), b3 이다
    params holds W1 (2, 1, 3, 3), b1, W2 (8, 4), b2, W3 (4, 3), b3"""
    params = expect.keys(student.SimpleConvNet(**CONFIG).params, SHAPES, "SimpleConvNet(...).params")
    for key, want in SHAPES.items():
        expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")


def test_predict_and_loss(student, rng):
    """predict 는 (N, 3) 점수를, loss 는 0 이상인 숫자 하나를 돌려준다
    predict gives (N, 3) scores and loss one number >= 0"""
    net, (x, t) = student.SimpleConvNet(**CONFIG), _batch(rng)
    expect.shape(net.predict(x), (3, 3), "net.predict(x)")
    expect.holds(expect.scalar(net.loss(x, t), "net.loss(x, t)") >= 0, Fact("손실 >= 0", "loss >= 0"), "net.loss(x, t)")


def test_gradient_check(student, rng):
    """net.gradient 가 여러분의 net.numerical_gradient 와 같다 (기울기 확인)
    net.gradient agrees with your net.numerical_gradient (gradient check)"""
    def check(_):
        net, (x, t) = student.SimpleConvNet(**CONFIG, weight_init_std=0.3), _batch(rng)
        numeric = expect.keys(net.numerical_gradient(x, t), SHAPES, "net.numerical_gradient(x, t)")
        analytic = expect.keys(net.gradient(x, t), SHAPES, "net.gradient(x, t)")
        for key in SHAPES:
            expect.gradient(analytic[key], numeric[key], f"net.gradient(x, t)['{key}']", limit=1e-3)
    expect.on_fresh_draws(check)

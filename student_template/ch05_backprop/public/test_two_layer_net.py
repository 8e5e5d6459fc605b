"""Public checks of chapter 5's TwoLayerNet: shapes, and backpropagation against the
student's own numerical gradient (the book's gradient check, section 5.7.3)."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

pytestmark = pytest.mark.item("TwoLayerNet")

SIZES = {"input_size": 4, "hidden_size": 5, "output_size": 3}
SHAPES = {"W1": (4, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}


def test_params_shapes(student):
    """TwoLayerNet(4, 5, 3).params 는 W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,) 이다
    TwoLayerNet(4, 5, 3).params holds W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,)"""
    params = expect.keys(student.TwoLayerNet(**SIZES).params, SHAPES, "TwoLayerNet(4, 5, 3).params")
    for key, want in SHAPES.items():
        expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")


def test_predict_and_loss(student, rng):
    """predict 는 (N, 3) 점수를, loss 는 0 이상인 숫자 하나를 돌려준다
    predict gives (N, 3) scores, and loss one number >= 0"""
    net, x = student.TwoLayerNet(**SIZES), rng.normal(size=(6, 4))
    t = np.eye(3)[rng.integers(3, size=6)]
    expect.shape(net.predict(x), (6, 3), "net.predict(x)")
    expect.holds(expect.scalar(net.loss(x, t), "net.loss(x, t)") >= 0, Fact("손실 >= 0", "loss >= 0"),
                 "net.loss(x, t)")


def test_accuracy_of_its_own_predictions(student, rng):
    """자기 예측을 정답으로 주면 accuracy 는 1.0 이다
    accuracy is 1.0 when the labels are the network's own predictions"""
    net, x = student.TwoLayerNet(**SIZES, weight_init_std=0.5), rng.normal(size=(6, 4))
    labels = np.argmax(expect.numbers(net.predict(x), "net.predict(x)"), axis=1)
    expect.close(net.accuracy(x, np.eye(3)[labels]), 1.0, Fact("모두 맞으면 1.0", "all right gives 1.0"),
                 "net.accuracy(x, t)")


def test_gradient_check(student, rng):
    """오차역전파 net.gradient 가 여러분의 net.numerical_gradient 와 같다 (기울기 확인)
    backpropagation (net.gradient) agrees with your net.numerical_gradient (gradient check)"""
    def check(_):
        net, x = student.TwoLayerNet(**SIZES, weight_init_std=0.5), rng.normal(size=(5, 4))
        t = np.eye(3)[rng.integers(3, size=5)]
        numeric = expect.keys(net.numerical_gradient(x, t), SHAPES, "net.numerical_gradient(x, t)")
        analytic = expect.keys(net.gradient(x, t), SHAPES, "net.gradient(x, t)")
        for key in SHAPES:
            expect.gradient(analytic[key], numeric[key], f"net.gradient(x, t)['{key}']", limit=1e-3)
    expect.on_fresh_draws(check)

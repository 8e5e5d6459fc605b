"""Public checks of MultiLayerNet and MultiLayerNetExtend: the layout of params, and
backpropagation against the student's own numerical gradient (with weight decay and
batch normalization too)."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

# Ten units in the first hidden layer: with fewer, a sample that every ReLU of that layer
# drops (1 in 32 for five units) puts the next layer exactly on ReLU's kink.
SIZES = {"input_size": 4, "hidden_size_list": [10, 6], "output_size": 3}
SHAPES = {"W1": (4, 10), "b1": (10,), "W2": (10, 6), "b2": (6,), "W3": (6, 3), "b3": (3,)}
BN_SHAPES = {"gamma1": (10,), "beta1": (10,), "gamma2": (6,), "beta2": (6,)}


def _batch(rng, n=5):
    return rng.normal(size=(n, 4)), np.eye(3)[rng.integers(3, size=n)]


def _gradient_check(make_net, rng, keys, n=5, limit=1e-3):
    """The student's backprop against the student's numerical gradient, on fresh draws.

    1e-3, not 1e-5: the book's numerical_gradient (h = 1e-4) straddles a ReLU kink now and
    then, which costs a correct network up to about 1e-3; a wrong backward is far off."""
    def check(_):
        net, (x, t) = make_net(), _batch(rng, n)
        numeric = expect.keys(net.numerical_gradient(x, t), keys, "net.numerical_gradient(x, t)")
        analytic = expect.keys(net.gradient(x, t), keys, "net.gradient(x, t)")
        for key in keys:
            expect.gradient(analytic[key], numeric[key], f"net.gradient(x, t)['{key}']", limit=limit)
    expect.on_fresh_draws(check)


@pytest.mark.item("MultiLayerNet")
def test_multi_layer_net_params(student):
    """MultiLayerNet(4, [10, 6], 3).params 는 W1..W3, b1..b3 을 층 크기에 맞는 모양으로 담는다
    MultiLayerNet(4, [10, 6], 3).params holds W1..W3 and b1..b3 shaped by the layer sizes"""
    params = expect.keys(student.MultiLayerNet(**SIZES).params, SHAPES, "MultiLayerNet(4, [10, 6], 3).params")
    for key, want in SHAPES.items():
        expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")


@pytest.mark.item("MultiLayerNet")
def test_multi_layer_net_predict_and_loss(student, rng):
    """predict 는 (N, 3) 점수를, loss 는 0 이상인 숫자 하나를 돌려준다
    predict gives (N, 3) scores and loss one number >= 0"""
    net, (x, t) = student.MultiLayerNet(**SIZES), _batch(rng)
    expect.shape(net.predict(x), (5, 3), "net.predict(x)")
    expect.holds(expect.scalar(net.loss(x, t), "net.loss(x, t)") >= 0, Fact("손실 >= 0", "loss >= 0"), "net.loss(x, t)")


@pytest.mark.item("MultiLayerNet")
def test_multi_layer_net_gradient_check(student, rng):
    """ReLU 와 시그모이드 모두 net.gradient 가 여러분의 net.numerical_gradient 와 같다
    with ReLU and with sigmoid, net.gradient agrees with your net.numerical_gradient"""
    for activation in ("relu", "sigmoid"):
        _gradient_check(lambda: student.MultiLayerNet(**SIZES, activation=activation, weight_init_std=0.5),
                        rng, SHAPES)


@pytest.mark.item("MultiLayerNet")
def test_multi_layer_net_gradient_with_weight_decay(student, rng):
    """가중치 감소 (weight_decay_lambda=0.1) 가 있어도 net.gradient 가 net.numerical_gradient 와 같다
    with weight decay (weight_decay_lambda=0.1) net.gradient still agrees with net.numerical_gradient"""
    _gradient_check(lambda: student.MultiLayerNet(**SIZES, activation="sigmoid", weight_init_std=0.5,
                                                  weight_decay_lambda=0.1), rng, SHAPES)


@pytest.mark.item("MultiLayerNetExtend")
def test_extend_params_with_batchnorm(student):
    """use_batchnorm=True 이면 params 에 은닉층마다 gamma, beta 가 더해진다
    with use_batchnorm=True, params also holds gamma and beta for every hidden layer"""
    net = student.MultiLayerNetExtend(**SIZES, use_batchnorm=True)
    params = expect.keys(net.params, {**SHAPES, **BN_SHAPES}, "MultiLayerNetExtend(..., use_batchnorm=True).params")
    for key, want in {**SHAPES, **BN_SHAPES}.items():
        expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")


@pytest.mark.item("MultiLayerNetExtend")
def test_extend_gradient_check_with_batchnorm(student, rng):
    """배치 정규화가 있어도 net.gradient 가 여러분의 net.numerical_gradient 와 같다
    with batch normalization, net.gradient agrees with your net.numerical_gradient"""
    _gradient_check(lambda: student.MultiLayerNetExtend(**SIZES, activation="sigmoid", use_batchnorm=True,
                                                        weight_init_std=0.5),
                    rng, {**SHAPES, **BN_SHAPES}, n=6)


@pytest.mark.item("MultiLayerNetExtend")
def test_extend_without_extras_is_a_multi_layer_net(student, rng):
    """배치 정규화와 드롭아웃 없이도 예측과 기울기 확인이 된다
    without batch norm or dropout it predicts and passes the gradient check"""
    net = student.MultiLayerNetExtend(**SIZES, weight_init_std=0.5)
    expect.shape(net.predict(_batch(rng)[0]), (5, 3), "net.predict(x)")
    _gradient_check(lambda: student.MultiLayerNetExtend(**SIZES, activation="sigmoid", weight_init_std=0.5),
                    rng, SHAPES)

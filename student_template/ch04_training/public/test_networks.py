"""Public checks of simpleNet and chapter 4's TwoLayerNet: shapes, and the student's code
against itself (loss through the student's own softmax and cross-entropy; the analytic
gradient against the numerical gradient of the student's own loss)."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

SIZES = {"input_size": 4, "hidden_size": 5, "output_size": 3}
SHAPES = {"W1": (4, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}


def _simple(student, rng):
    net = student.simpleNet()
    W = rng.normal(size=(2, 3))
    net.W = W.copy()
    return net, W


@pytest.mark.item("simpleNet")
def test_simple_net_weight_shape(student):
    """simpleNet() 은 모양 (2, 3) 인 가중치 W 를 만든다
    simpleNet() creates a weight matrix W of shape (2, 3)"""
    expect.shape(student.simpleNet().W, (2, 3), "simpleNet().W", "hint.params_layout")


@pytest.mark.item("simpleNet")
def test_simple_net_predict_uses_w(student, rng):
    """net.predict(x) 는 x 와 net.W 의 행렬 곱이다
    net.predict(x) is the matrix product of x and net.W"""
    net, W = _simple(student, rng)
    x = rng.normal(size=(4, 2))
    expect.close(net.predict(x), x @ W, Fact("predict(x) = x·W", "predict(x) = x·W"), "net.predict(x)")


@pytest.mark.item("simpleNet")
def test_simple_net_loss_ranks_the_classes(student, rng):
    """loss 는 0 이상이고, predict 가 가장 높게 본 클래스가 정답일 때 가장 작다
    loss is >= 0, and smallest when the answer is the class predict scores highest"""
    net, W = _simple(student, rng)
    x = np.array([0.6, 0.9])
    order = np.argsort(x @ W)
    best, worst = (expect.scalar(net.loss(x, np.eye(3)[k]), "net.loss(x, t)") for k in (order[-1], order[0]))
    expect.holds(best >= 0, Fact("손실 >= 0", "loss >= 0"), "net.loss(x, t)")
    expect.holds(best < worst, Fact("가장 높은 점수가 정답이면 손실이 가장 작음",
                                    "the loss is smallest for the highest-scored answer"), "net.loss(x, t)")


@pytest.mark.item("simpleNet")
def test_simple_net_loss_uses_a_softmax(student, rng):
    """한 샘플의 모든 점수를 같은 만큼 올려도 loss 는 같다 (softmax 를 거치므로)
    raising every score of a sample by the same amount leaves the loss unchanged (softmax)"""
    net, W = _simple(student, rng)
    x, t = np.array([0.6, 0.9]), np.array([0, 0, 1])
    before = expect.scalar(net.loss(x, t), "net.loss(x, t)")
    net.W = W + 2.0          # x @ (W + 2) raises all three scores by 2 * (0.6 + 0.9)
    expect.close(expect.scalar(net.loss(x, t), "net.loss(x, t)"), before,
                 Fact("모든 점수 + c 여도 같은 손실", "the same loss for all scores + c"), "net.loss(x, t)")


def _two_layer(student, rng, set_params):
    """A net with known parameters, written into the arrays net.params holds, as the book's
    training loop changes them: a net that keeps its parameter arrays elsewhere too is right."""
    net = student.TwoLayerNet(**SIZES)
    params = expect.keys(net.params, SHAPES, "TwoLayerNet(4, 5, 3).params")
    for key, want in SHAPES.items():
        expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")
    set_params(net, {key: rng.normal(scale=0.5, size=want) for key, want in SHAPES.items()})
    x = rng.normal(size=(6, 4))
    t = np.eye(3)[rng.integers(3, size=6)]
    return net, x, t


def _loss_gradient(net, x, t, set_params, key):
    """d net.loss(x, t) / d params[key] by central differences (expect.numerical_gradient),
    each value written into the net's own array, as the book's numerical_gradient does."""
    start = np.array(net.params[key], dtype=float)
    def loss_at(value):
        set_params(net, {key: value})
        return net.loss(x, t)
    try:
        return expect.numerical_gradient(loss_at, start)
    finally:
        set_params(net, {key: start})


def _own_gradient_is_right(student) -> bool:
    """Does your numerical_gradient pass its own check (2x for sum(x²), central-difference
    close)? net.numerical_gradient is held to a derivative only then: a slip in
    numerical_gradient is that item's, not charged again here, as in grading."""
    x = np.array([-3.0, 4.0, 0.5])
    try:
        grad = np.asarray(student.numerical_gradient(lambda v: np.sum(v ** 2), x), dtype=float)
    except Exception:  # noqa: BLE001 - missing or broken: numerical_gradient's tests say why
        return False
    return grad.shape == x.shape and np.allclose(grad, 2 * x, rtol=1e-5, atol=1e-7)


@pytest.mark.item("TwoLayerNet")
def test_two_layer_net_params(student):
    """TwoLayerNet(4, 5, 3).params 는 W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,) 이고 편향은 0 이다
    TwoLayerNet(4, 5, 3).params holds W1 (4, 5), b1 (5,), W2 (5, 3), b2 (3,), biases at zero"""
    params = expect.keys(student.TwoLayerNet(**SIZES).params, SHAPES, "TwoLayerNet(4, 5, 3).params")
    for key, want in SHAPES.items():
        value = expect.shape(params[key], want, f"params['{key}']", "hint.params_layout")
        if key.startswith("b"):
            expect.close(value, np.zeros(want), Fact("편향은 0 으로 시작", "biases start at 0"),
                         f"params['{key}']")


@pytest.mark.item("TwoLayerNet")
def test_two_layer_net_predict_and_loss(student, rng, set_params):
    """predict 의 행은 합이 1 이고, loss 는 predict 가 맞힌 정답일 때가 틀린 정답일 때보다 작다
    rows of predict sum to 1, and the loss is lower for labels predict gets right than wrong"""
    net, x, _ = _two_layer(student, rng, set_params)
    y = expect.shape(net.predict(x), (6, 3), "net.predict(x)")
    expect.close(np.sum(y, axis=1), np.ones(6), Fact("행마다 합이 1", "every row sums to 1"), "net.predict(x)")
    right, wrong = np.eye(3)[np.argmax(y, axis=1)], np.eye(3)[np.argmin(y, axis=1)]
    low, high = (expect.scalar(net.loss(x, t), "net.loss(x, t)") for t in (right, wrong))
    expect.holds(0 <= low < high, Fact("맞힌 정답의 손실 < 틀린 정답의 손실", "loss of right labels < loss of wrong ones"),
                 "net.loss(x, t)")


@pytest.mark.item("TwoLayerNet")
def test_two_layer_net_accuracy(student, rng, set_params):
    """예측과 모두 같은 원-핫 정답이면 accuracy 는 1.0 이다
    accuracy is 1.0 for one-hot labels that all match the prediction"""
    net, x, _ = _two_layer(student, rng, set_params)
    right = np.eye(3)[np.argmax(expect.numbers(net.predict(x), "net.predict(x)"), axis=1)]
    expect.close(net.accuracy(x, right), 1.0, Fact("모두 맞으면 1.0", "all right gives 1.0"), "net.accuracy(x, t)")


@pytest.mark.item("TwoLayerNet")
def test_two_layer_net_numerical_gradient(student, rng, set_params):
    """net.numerical_gradient 는 여러분의 loss 를 직접 수치 미분한 값과 같다
    net.numerical_gradient equals a numerical derivative of your own loss"""
    net, x, t = _two_layer(student, rng, set_params)
    grads = expect.keys(net.numerical_gradient(x, t), SHAPES, "net.numerical_gradient(x, t)")
    if not _own_gradient_is_right(student):
        return   # net.numerical_gradient computes through it: its own tests say what to fix
    for key in ("b1", "b2"):      # a few entries: each costs two calls of your loss
        expect.gradient(grads[key], _loss_gradient(net, x, t, set_params, key),
                        f"net.numerical_gradient(x, t)['{key}']", "hint.central_difference", limit=1e-4)


@pytest.mark.item("TwoLayerNet")
def test_two_layer_net_gradient_matches_numerical(student, rng, set_params):
    """net.gradient (해석적 기울기) 가 여러분의 loss 의 수치 미분과 같다
    net.gradient (the analytic gradient) agrees with a numerical derivative of your loss"""
    net, x, t = _two_layer(student, rng, set_params)
    if _own_gradient_is_right(student):
        numeric = expect.keys(net.numerical_gradient(x, t), SHAPES, "net.numerical_gradient(x, t)")
    else:   # not through your numerical_gradient, whose own tests say what to fix
        numeric = {key: _loss_gradient(net, x, t, set_params, key) for key in SHAPES}
    analytic = expect.keys(net.gradient(x, t), SHAPES, "net.gradient(x, t)")
    for key in SHAPES:
        expect.gradient(analytic[key], numeric[key], f"net.gradient(x, t)['{key}']", "hint.formula", limit=1e-4)

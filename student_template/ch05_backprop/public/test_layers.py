"""Public checks of chapter 5's layers: every backward against the numerical gradient of
the same student's forward, which needs no expected value at all."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact


def _away_from_zero(rng, shape):
    """Inputs at least 0.1 away from 0, where ReLU's kink would spoil a numerical gradient."""
    x = rng.normal(size=shape)
    return np.where(np.abs(x) < 0.1, np.sign(x + 1e-12) * 0.1 + x, x)


@pytest.mark.item("MulLayer")
def test_mul_layer_forward(student, rng):
    """MulLayer.forward(x, y) 는 x * y 이다
    MulLayer.forward(x, y) is x * y"""
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    expect.close(student.MulLayer().forward(x, y), x * y, Fact("forward = x * y", "forward = x * y"),
                 "MulLayer().forward(x, y)")


@pytest.mark.item("MulLayer")
def test_mul_layer_backward_matches_forward(student, rng):
    """MulLayer.backward(dout) 의 (dx, dy) 가 forward 의 수치 미분과 같다
    MulLayer.backward(dout) gives (dx, dy) equal to the numerical gradient of forward"""
    x, y, dout = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    num_dx = expect.numerical_gradient(expect.weighted_sum(lambda v: student.MulLayer().forward(v, y), dout), x)
    num_dy = expect.numerical_gradient(expect.weighted_sum(lambda v: student.MulLayer().forward(x, v), dout), y)
    layer = student.MulLayer()
    layer.forward(x, y)
    dx, dy = layer.backward(dout)
    expect.gradient(dx, num_dx, "MulLayer.backward(dout)[0]")
    expect.gradient(dy, num_dy, "MulLayer.backward(dout)[1]")


@pytest.mark.item("AddLayer")
def test_add_layer_forward_and_backward(student, rng):
    """AddLayer 는 x + y 이고, backward 의 (dx, dy) 가 forward 의 수치 미분과 같다
    AddLayer is x + y, and backward's (dx, dy) equal the numerical gradient of forward"""
    x, y, dout = rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    expect.close(student.AddLayer().forward(x, y), x + y, Fact("forward = x + y", "forward = x + y"),
                 "AddLayer().forward(x, y)")
    num_dx = expect.numerical_gradient(expect.weighted_sum(lambda v: student.AddLayer().forward(v, y), dout), x)
    layer = student.AddLayer()
    layer.forward(x, y)
    dx, dy = layer.backward(dout)
    expect.gradient(dx, num_dx, "AddLayer.backward(dout)[0]")
    expect.gradient(dy, num_dx, "AddLayer.backward(dout)[1]")


@pytest.mark.item("Relu")
def test_relu_layer_forward(student, rng):
    """Relu.forward 는 음수를 0 으로, 양수는 그대로 둔다
    Relu.forward turns negatives into 0 and keeps positives"""
    x = _away_from_zero(rng, (3, 4))
    expect.close(student.Relu().forward(x), np.where(x > 0, x, 0.0),
                 Fact("max(0, x)", "max(0, x)"), "Relu().forward(x)")


@pytest.mark.item("Relu")
def test_relu_layer_backward_matches_forward(student, rng):
    """Relu.backward 가 forward 의 수치 미분과 같다
    Relu.backward equals the numerical gradient of forward"""
    x, dout = _away_from_zero(rng, (3, 4)), rng.normal(size=(3, 4))
    numeric = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Relu().forward(v), dout), x)
    layer = student.Relu()
    layer.forward(x)
    expect.gradient(layer.backward(dout), numeric, "Relu.backward(dout)")


@pytest.mark.item("Sigmoid")
def test_sigmoid_layer(student, rng):
    """Sigmoid.forward 는 0 과 1 사이이고, backward 가 forward 의 수치 미분과 같다
    Sigmoid.forward lies between 0 and 1, and backward equals the numerical gradient of forward"""
    x, dout = rng.normal(scale=2.0, size=(2, 5)), rng.normal(size=(2, 5))
    out = expect.shape(student.Sigmoid().forward(x), x.shape, "Sigmoid().forward(x)")
    expect.holds(np.all((out > 0) & (out < 1)), Fact("0 < 값 < 1", "0 < value < 1"), "Sigmoid().forward(x)")
    numeric = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Sigmoid().forward(v), dout), x)
    layer = student.Sigmoid()
    layer.forward(x)
    expect.gradient(layer.backward(dout), numeric, "Sigmoid.backward(dout)")


def _affine_case(rng, x_shape):
    x = rng.normal(size=x_shape)
    W, b = rng.normal(size=(int(np.prod(x_shape[1:])), 3)), rng.normal(size=3)
    return x, W, b, rng.normal(size=(x_shape[0], 3))


@pytest.mark.item("Affine")
def test_affine_forward(student, rng):
    """Affine.forward(x) 는 x·W + b 이고 모양은 (N, 출력 수) 이다
    Affine.forward(x) is x·W + b, of shape (N, outputs)"""
    x, W, b, _ = _affine_case(rng, (4, 5))
    expect.close(student.Affine(W, b).forward(x), x @ W + b, Fact("x·W + b", "x·W + b"), "Affine(W, b).forward(x)")


@pytest.mark.item("Affine")
def test_affine_backward_matches_forward(student, rng):
    """Affine.backward 의 dx 와 dW, db 가 forward 의 수치 미분과 같다
    Affine.backward's dx, and the dW and db it stores, equal numerical gradients of forward"""
    x, W, b, dout = _affine_case(rng, (4, 5))
    num_dx = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Affine(W, b).forward(v), dout), x)
    num_dW = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Affine(v, b).forward(x), dout), W)
    num_db = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Affine(W, v).forward(x), dout), b)
    layer = student.Affine(W, b)
    layer.forward(x)
    expect.gradient(layer.backward(dout), num_dx, "Affine.backward(dout)")
    expect.gradient(layer.dW, num_dW, "Affine.dW", "hint.param_grads")
    expect.gradient(layer.db, num_db, "Affine.db", "hint.param_grads")


@pytest.mark.item("Affine")
def test_affine_takes_image_batches(student, rng):
    """4차원 입력 (N, C, H, W) 을 펼쳐서 계산하고, backward 는 입력과 같은 모양을 돌려준다
    a 4-D input (N, C, H, W) is flattened, and backward returns the input's shape"""
    x, W, b, dout = _affine_case(rng, (2, 2, 2, 2))
    layer = student.Affine(W, b)
    expect.close(layer.forward(x), x.reshape(2, -1) @ W + b, Fact("펼친 x·W + b", "flattened x·W + b"),
                 "Affine(W, b).forward(x)")
    expect.shape(layer.backward(dout), x.shape, "Affine.backward(dout)")


@pytest.mark.item("SoftmaxWithLoss")
def test_softmax_with_loss_forward(student, rng):
    """forward 는 0 이상인 숫자 하나이고, 정답 번호와 원-핫 정답이 같은 손실을 준다
    forward gives one number >= 0, the same for class labels and one-hot rows"""
    x, labels = rng.normal(size=(4, 3)), rng.integers(3, size=4)
    one_hot = expect.scalar(student.SoftmaxWithLoss().forward(x, np.eye(3)[labels]), "forward(x, t_onehot)")
    expect.holds(one_hot >= 0, Fact("손실 >= 0", "loss >= 0"), "SoftmaxWithLoss().forward(x, t)")
    expect.close(expect.scalar(student.SoftmaxWithLoss().forward(x, labels), "forward(x, t_labels)"), one_hot,
                 Fact("번호 = 원-핫", "labels = one-hot"), "SoftmaxWithLoss().forward(x, t)",
                 "hint.labels_and_onehot")


@pytest.mark.item("SoftmaxWithLoss")
def test_softmax_with_loss_backward_matches_forward(student, rng):
    """backward(1) 이 forward 손실의 수치 미분과 같다
    backward(1) equals the numerical gradient of the forward loss"""
    x, t = rng.normal(size=(4, 3)), np.eye(3)[rng.integers(3, size=4)]
    numeric = expect.numerical_gradient(lambda v: student.SoftmaxWithLoss().forward(v, t), x)
    layer = student.SoftmaxWithLoss()
    layer.forward(x, t)
    expect.gradient(layer.backward(1), numeric, "SoftmaxWithLoss.backward(1)", "hint.batch_mean", limit=1e-4)

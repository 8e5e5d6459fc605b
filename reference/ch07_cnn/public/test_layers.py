"""Public checks of Convolution and Pooling: shapes, what a 1×1 convolution and a max do,
and every backward against the numerical gradient of the same student's forward."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact


def _conv_case(rng, stride=1, pad=1):
    x = rng.normal(size=(2, 2, 4, 4))
    W, b = rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    oh = (4 + 2 * pad - 3) // stride + 1
    return x, W, b, rng.normal(size=(2, 3, oh, oh))


@pytest.mark.item("Convolution")
def test_convolution_output_shape(student, rng):
    """Convolution.forward 의 모양은 (N, FN, OH, OW) 이다
    Convolution.forward has shape (N, FN, OH, OW)"""
    for stride, pad in ((1, 1), (2, 0)):
        x, W, b, dout = _conv_case(rng, stride, pad)
        expect.shape(student.Convolution(W, b, stride, pad).forward(x), dout.shape,
                     f"Convolution(W, b, stride={stride}, pad={pad}).forward(x)", "hint.output_size")


@pytest.mark.item("Convolution")
def test_one_by_one_convolution_mixes_channels(student, rng):
    """1×1 필터의 합성곱은 픽셀마다 채널을 섞는 W·x + b 이다
    a 1×1 convolution is W·x + b over the channels of each pixel"""
    x, W, b = rng.normal(size=(2, 3, 4, 4)), rng.normal(size=(2, 3, 1, 1)), rng.normal(size=2)
    mixed = np.einsum("fc,nchw->nfhw", W[:, :, 0, 0], x) + b[None, :, None, None]
    expect.close(student.Convolution(W, b).forward(x), mixed, Fact("채널을 섞는 W·x + b", "W·x + b over channels"),
                 "Convolution(W, b).forward(x)", "hint.window_order")


@pytest.mark.item("Convolution")
def test_convolution_backward_matches_forward(student, rng):
    """backward 의 dx 와 저장한 dW, db 가 forward 의 수치 미분과 같다
    backward's dx, and the dW and db it stores, equal numerical gradients of forward"""
    x, W, b, dout = _conv_case(rng)
    num_dx = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Convolution(W, b, 1, 1).forward(v), dout), x)
    num_dW = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Convolution(v, b, 1, 1).forward(x), dout), W)
    num_db = expect.numerical_gradient(expect.weighted_sum(lambda v: student.Convolution(W, v, 1, 1).forward(x), dout), b)
    layer = student.Convolution(W, b, 1, 1)
    layer.forward(x)
    expect.gradient(layer.backward(dout), num_dx, "Convolution.backward(dout)")
    expect.gradient(layer.dW, num_dW, "Convolution.dW", "hint.param_grads")
    expect.gradient(layer.db, num_db, "Convolution.db", "hint.param_grads")


def _windows_max(x, size):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // size, size, w // size, size).max(axis=(3, 5))


@pytest.mark.item("Pooling")
def test_pooling_takes_the_max_of_each_window(student, rng):
    """2×2, stride 2 풀링은 창마다 가장 큰 값이다
    2×2 pooling with stride 2 gives the largest value of each window"""
    x = rng.normal(size=(2, 3, 4, 6))
    expect.close(student.Pooling(2, 2, stride=2).forward(x), _windows_max(x, 2),
                 Fact("창마다 최댓값", "the max of each window"), "Pooling(2, 2, stride=2).forward(x)",
                 "hint.window_order")


@pytest.mark.item("Pooling")
def test_pooling_backward_matches_forward(student, rng):
    """backward 가 forward 의 수치 미분과 같다 (겹치는 창 포함)
    backward equals the numerical gradient of forward, overlapping windows included"""
    for pool, stride in ((2, 2), (3, 1)):
        x = rng.normal(size=(1, 2, 5, 5))
        oh = (5 - pool) // stride + 1
        dout = rng.normal(size=(1, 2, oh, oh))
        forward = expect.weighted_sum(lambda v: student.Pooling(pool, pool, stride=stride).forward(v), dout)
        numeric = expect.numerical_gradient(forward, x)
        layer = student.Pooling(pool, pool, stride=stride)
        layer.forward(x)
        expect.gradient(layer.backward(dout), numeric, f"Pooling({pool}, {pool}, stride={stride}).backward(dout)")

"""Public checks of BatchNormalization and Dropout: normalised statistics, the backward
against the numerical gradient of the student's own forward, and dropout's mask."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact


def _bn(student, d, gamma=None, beta=None):
    return student.BatchNormalization(np.ones(d) if gamma is None else gamma,
                                      np.zeros(d) if beta is None else beta)


@pytest.mark.item("BatchNormalization")
def test_batchnorm_normalises_each_feature(student, rng):
    """학습 모드에서 gamma=1, beta=0 이면 특징마다 평균 0, 표준편차 1 이 된다
    in training mode with gamma=1, beta=0, every feature gets mean 0 and std 1"""
    x = rng.normal(loc=3.0, scale=2.0, size=(8, 4))
    out = expect.shape(_bn(student, 4).forward(x, train_flg=True), x.shape, "forward(x, train_flg=True)")
    expect.close(out.mean(axis=0), np.zeros(4), Fact("특징마다 평균 0", "mean 0 per feature"),
                 "forward(x, train_flg=True)", "hint.batch_axis", atol=1e-6)
    expect.close(out.std(axis=0), np.ones(4), Fact("특징마다 표준편차 1", "std 1 per feature"),
                 "forward(x, train_flg=True)", "hint.batch_axis", rtol=1e-4)


@pytest.mark.item("BatchNormalization")
def test_batchnorm_scales_and_shifts(student, rng):
    """gamma 와 beta 는 정규화된 값을 늘이고 옮긴다
    gamma and beta scale and shift the normalised values"""
    x = rng.normal(size=(8, 3))
    gamma, beta = np.array([2.0, 0.5, 1.0]), np.array([3.0, -1.0, 0.0])
    plain = expect.numbers(_bn(student, 3).forward(x, train_flg=True), "forward(x)")
    expect.close(_bn(student, 3, gamma, beta).forward(x, train_flg=True), gamma * plain + beta,
                 Fact("gamma·x̂ + beta", "gamma·x̂ + beta"), "BatchNormalization(gamma, beta).forward(x)")


@pytest.mark.item("BatchNormalization")
def test_batchnorm_backward_matches_forward(student, rng):
    """학습 모드의 backward 가 dx, dgamma, dbeta 모두 forward 의 수치 미분과 같다
    in training mode, backward's dx, dgamma and dbeta equal numerical gradients of forward"""
    x, dout = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    gamma, beta = rng.normal(size=3) + 1.5, rng.normal(size=3)

    def run(x=x, gamma=gamma, beta=beta):
        return student.BatchNormalization(gamma, beta).forward(x, train_flg=True)

    num_dx = expect.numerical_gradient(expect.weighted_sum(lambda v: run(x=v), dout), x)
    num_dgamma = expect.numerical_gradient(expect.weighted_sum(lambda v: run(gamma=v), dout), gamma)
    num_dbeta = expect.numerical_gradient(expect.weighted_sum(lambda v: run(beta=v), dout), beta)
    layer = student.BatchNormalization(gamma, beta)
    layer.forward(x, train_flg=True)
    expect.gradient(layer.backward(dout), num_dx, "BatchNormalization.backward(dout)", limit=1e-4)
    expect.gradient(layer.dgamma, num_dgamma, "BatchNormalization.dgamma", "hint.param_grads", limit=1e-4)
    expect.gradient(layer.dbeta, num_dbeta, "BatchNormalization.dbeta", "hint.param_grads", limit=1e-4)


@pytest.mark.item("BatchNormalization")
def test_batchnorm_takes_image_batches(student, rng):
    """4차원 입력 (N, C, H, W) 에도 같은 모양을 돌려준다
    a 4-D input (N, C, H, W) comes back in the same shape"""
    x = rng.normal(size=(4, 2, 3, 3))
    layer = _bn(student, 2 * 3 * 3)
    expect.shape(layer.forward(x, train_flg=True), x.shape, "forward(x, train_flg=True)")
    expect.shape(layer.backward(rng.normal(size=x.shape)), x.shape, "backward(dout)")


@pytest.mark.item("Dropout")
def test_dropout_drops_about_the_ratio(student, rng):
    """학습 모드에서 각 값은 0 이거나 그대로이고, 0 이 되는 비율은 dropout_ratio 근처다
    in training mode each value is either 0 or kept, and about dropout_ratio of them are 0"""
    x = rng.random(size=(100, 200)) + 0.5
    out = expect.shape(student.Dropout(0.3).forward(x, train_flg=True), x.shape, "Dropout(0.3).forward(x)")
    expect.holds(np.all((out == 0) | (out == x)), Fact("0 이거나 원래 값", "0 or the original value"),
                 "Dropout(0.3).forward(x, train_flg=True)", "hint.train_flag")
    expect.close(np.mean(out == 0), 0.3, Fact("0 의 비율이 약 0.3", "about 0.3 of the values are 0"),
                 "Dropout(0.3).forward(x, train_flg=True)", "hint.train_flag", rtol=0, atol=0.03)


@pytest.mark.item("Dropout")
def test_dropout_backward_uses_the_same_mask(student, rng):
    """backward 는 forward 가 지운 자리에서 0, 나머지에서 dout 그대로다
    backward is 0 where forward dropped a value and dout elsewhere"""
    x, dout = rng.random(size=(20, 30)) + 0.5, rng.normal(size=(20, 30))
    layer = student.Dropout(0.5)
    out = expect.numbers(layer.forward(x, train_flg=True), "forward(x, train_flg=True)")
    expect.close(layer.backward(dout), np.where(out == 0, 0.0, dout),
                 Fact("forward 와 같은 마스크", "the mask of forward"), "Dropout.backward(dout)",
                 "hint.backward_matches_forward")


@pytest.mark.item("Dropout")
def test_dropout_at_test_time_scales_evenly(student, rng):
    """시험 모드에서는 아무것도 지우지 않고 모든 값에 같은 수를 곱한다
    at test time nothing is dropped: every value is multiplied by the same number"""
    x = rng.random(size=(10, 10)) + 0.5
    out = expect.shape(student.Dropout(0.3).forward(x, train_flg=False), x.shape,
                       "Dropout(0.3).forward(x, train_flg=False)")
    ratio = out / x
    expect.close(ratio, np.full(x.shape, ratio.flat[0]), Fact("모든 값에 같은 배율", "one factor for every value"),
                 "Dropout(0.3).forward(x, train_flg=False)", "hint.train_flag")
    expect.holds(ratio.flat[0] > 0, Fact("아무것도 지우지 않음", "nothing dropped"),
                 "Dropout(0.3).forward(x, train_flg=False)", "hint.train_flag")

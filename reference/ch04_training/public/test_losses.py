"""Public checks of the loss functions: zero where prediction equals target, symmetry,
scaling, and the book's example values through salted hashes."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

# The book's example (section 4.2.1): the answer is class 2.
T = np.eye(10)[2]
Y_GOOD = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_BAD = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


def _one(value, call):
    return expect.scalar(value, call, "hint.batch_mean")


@pytest.mark.item("mean_squared_error")
def test_mse_is_zero_only_for_a_perfect_match(student, rng):
    """y 와 t 가 같으면 0, 다르면 양수인 숫자 하나다
    it is one number: 0 when y equals t, positive otherwise"""
    y = rng.random(5)
    expect.close(_one(student.mean_squared_error(y, y), "mean_squared_error(y, y)"), 0.0,
                 Fact("y = t 이면 0", "0 when y = t"), "mean_squared_error(y, y)")
    other = _one(student.mean_squared_error(y, y + 0.1), "mean_squared_error(y, t)")
    expect.holds(other > 0, Fact("y ≠ t 이면 양수", "positive when y ≠ t"), "mean_squared_error(y, t)")


@pytest.mark.item("mean_squared_error")
def test_mse_is_symmetric_and_quadratic(student, rng):
    """E(y, t) = E(t, y) 이고, 차이를 두 배로 하면 오차는 네 배가 된다
    E(y, t) = E(t, y), and twice the difference gives four times the error"""
    t, d = rng.random(6), rng.normal(scale=0.1, size=6)
    once = _one(student.mean_squared_error(t + d, t), "mean_squared_error(t + d, t)")
    expect.close(_one(student.mean_squared_error(t, t + d), "mean_squared_error(t, t + d)"), once,
                 Fact("E(y, t) = E(t, y)", "E(y, t) = E(t, y)"), "mean_squared_error(t, t + d)")
    expect.close(_one(student.mean_squared_error(t + 2 * d, t), "mean_squared_error(t + 2d, t)"),
                 4 * once, Fact("E(t + 2d, t) = 4 E(t + d, t)", "E(t + 2d, t) = 4 E(t + d, t)"),
                 "mean_squared_error(t + 2d, t)", "hint.formula")


@pytest.mark.item("mean_squared_error")
def test_mse_book_example(student):
    """책 4.2.1절의 두 예제 값이 맞다 (해시로 비교)
    the two examples of section 4.2.1 give the book's values (compared by hash)"""
    values = [_one(student.mean_squared_error(y, T), "mean_squared_error(y, t)") for y in (Y_GOOD, Y_BAD)]
    expect.hashed(values, "dcea0ef60c22d67118aa08ca7eb426f1", "ch04/mse/1", "mean_squared_error(y, t)",
                  hint="hint.formula")


@pytest.mark.item("cross_entropy_error")
def test_cee_of_a_perfect_prediction_is_about_zero(student):
    """정답에 확률 1 을 주면 교차 엔트로피 오차는 거의 0 이다
    giving the answer probability 1 makes the error about 0"""
    expect.close(_one(student.cross_entropy_error(T.copy(), T), "cross_entropy_error(t, t)"), 0.0,
                 Fact("완벽한 예측이면 약 0", "about 0 for a perfect prediction"),
                 "cross_entropy_error(t, t)", atol=1e-5)


@pytest.mark.item("cross_entropy_error")
def test_cee_stays_finite_at_zero_probability(student):
    """정답의 확률이 0 이어도 inf 가 아닌 큰 양수다
    a zero probability for the answer gives a large finite number, not inf"""
    y = np.array([0.0, 1.0, 0.0])
    value = expect.finite(student.cross_entropy_error(y, np.eye(3)[0]), "cross_entropy_error(y, t)",
                          "hint.formula")
    expect.holds(np.all(value > 10), Fact("큰 양수", "a large positive number"), "cross_entropy_error(y, t)")


@pytest.mark.item("cross_entropy_error")
def test_cee_labels_and_one_hot_agree(student, rng):
    """배치에서 정답 번호와 원-핫 정답이 같은 값을 준다
    on a batch, class labels and one-hot rows give the same value"""
    y = rng.dirichlet(np.ones(4), size=5)
    labels = rng.integers(4, size=5)
    one_hot = _one(student.cross_entropy_error(y, np.eye(4)[labels]), "cross_entropy_error(y, t_onehot)")
    expect.close(_one(student.cross_entropy_error(y, labels), "cross_entropy_error(y, t_labels)"),
                 one_hot, Fact("번호 = 원-핫", "labels = one-hot"), "cross_entropy_error(y, t_labels)",
                 "hint.labels_and_onehot")


@pytest.mark.item("cross_entropy_error")
def test_cee_of_a_batch_is_a_mean(student, rng):
    """같은 샘플을 세 번 담은 배치의 오차는 그 샘플 하나의 오차와 같다
    a batch of the same sample three times has that one sample's error"""
    y, t = rng.dirichlet(np.ones(4)), np.eye(4)[1]
    alone = _one(student.cross_entropy_error(y, t), "cross_entropy_error(y, t)")
    expect.close(_one(student.cross_entropy_error(np.stack([y] * 3), np.stack([t] * 3)),
                      "cross_entropy_error(Y, T)"), alone,
                 Fact("배치 오차 = 샘플 하나의 오차", "batch error = one sample's error"),
                 "cross_entropy_error(Y, T)", "hint.batch_mean")


@pytest.mark.item("cross_entropy_error")
def test_cee_book_example(student):
    """책 4.2.2절의 두 예제 값이 맞다 (해시로 비교)
    the two examples of section 4.2.2 give the book's values (compared by hash)"""
    values = [_one(student.cross_entropy_error(y, T), "cross_entropy_error(y, t)") for y in (Y_GOOD, Y_BAD)]
    expect.hashed(values, "c2b14cafe07cb461f5e8b8f3dd572e4f", "ch04/cee/1", "cross_entropy_error(y, t)",
                  hint="hint.formula")

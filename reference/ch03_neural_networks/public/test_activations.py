"""Public checks of chapter 3's activation functions: properties, never expected values."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact


@pytest.mark.item("step_function")
def test_step_function_gives_0_or_1(student, rng):
    """계단 함수의 결과는 입력과 같은 모양의 0 또는 1 (숫자) 이다
    step_function gives 0 or 1 (numbers), in the shape of its input"""
    x = rng.normal(size=(3, 4))
    out = student.step_function(x)
    expect.shape(out, x.shape, "step_function(x)", "hint.return_array")
    expect.kind(out, "iuf", "int", "step_function(x)", "hint.int_not_bool")
    expect.holds(np.all(np.isin(out, (0, 1))), Fact("값이 0 또는 1", "every value is 0 or 1"),
                 "step_function(x)")


@pytest.mark.item("step_function")
def test_step_function_follows_the_sign(student):
    """음수에서는 0, 양수에서는 1 이다 (계단 함수의 정의)
    step_function is 0 for negative inputs and 1 for positive ones (its definition)"""
    x = np.array([-3.0, -0.5, 0.5, 3.0])
    expect.close(student.step_function(x), (x > 0).astype(float),
                 Fact("음수는 0, 양수는 1", "0 below zero, 1 above"), "step_function(x)")


@pytest.mark.item("sigmoid")
def test_sigmoid_is_between_0_and_1(student, rng):
    """시그모이드는 입력과 같은 모양이고 값은 0과 1 사이다
    sigmoid keeps the shape of its input, with values between 0 and 1"""
    x = rng.normal(scale=3.0, size=(4, 3))
    out = expect.shape(student.sigmoid(x), x.shape, "sigmoid(x)", "hint.return_array")
    expect.holds(np.all((out > 0) & (out < 1)), Fact("0 < 값 < 1", "0 < value < 1"), "sigmoid(x)")


@pytest.mark.item("sigmoid")
def test_sigmoid_is_symmetric(student, rng):
    """sigmoid(-x) = 1 - sigmoid(x) 이고 sigmoid(0) = 0.5 이다
    sigmoid(-x) = 1 - sigmoid(x), and sigmoid(0) = 0.5"""
    x = np.concatenate([[0.0], rng.normal(scale=2.0, size=7)])
    ours = expect.shape(student.sigmoid(x), x.shape, "sigmoid(x)")
    expect.close(student.sigmoid(-x), 1.0 - ours, Fact("sigmoid(-x) = 1 - sigmoid(x)",
                 "sigmoid(-x) = 1 - sigmoid(x)"), "sigmoid(-x)", "hint.formula")
    expect.close(ours[0], 0.5, Fact("sigmoid(0) = 0.5", "sigmoid(0) = 0.5"), "sigmoid(0)",
                 "hint.formula")


@pytest.mark.item("sigmoid")
def test_sigmoid_is_increasing(student):
    """시그모이드는 증가 함수다
    sigmoid increases with x"""
    x = np.linspace(-6.0, 6.0, 25)
    out = expect.shape(student.sigmoid(x), x.shape, "sigmoid(x)")
    expect.holds(np.all(np.diff(out) > 0), Fact("x 가 커지면 값도 커짐", "larger x, larger value"),
                 "sigmoid(x)", "hint.formula")


# sigmoid at a few points, checked by hash: a curve of the right shape (an S from 0 to 1
# through 0.5, such as 0.5 * (1 + tanh(x))) can pass every property above and still not be
# the sigmoid. The points are chosen away from rounding boundaries, so float32 passes too.
SIGMOID_X = np.array([-4.2, -2.5, -1.3, -0.4, 0.7, 1.6, 3.1, 5.3])


@pytest.mark.item("sigmoid")
def test_sigmoid_values(student):
    """시그모이드의 값이 맞다 (해시로 비교)
    sigmoid gives the right values (compared by hash)"""
    out = expect.shape(student.sigmoid(SIGMOID_X), SIGMOID_X.shape, "sigmoid(x)")
    expect.hashed(out, "8939062b5f6b54e24d4a34ccc9e5e60c", "ch03/sigmoid/1", "sigmoid(x)", hint="hint.formula")


@pytest.mark.item("relu")
def test_relu_is_never_negative(student, rng):
    """ReLU 의 결과는 0 이상이고, 양수 입력은 그대로 나온다
    relu(x) >= 0, and a positive input comes out unchanged"""
    x = rng.normal(size=(5, 4))
    out = expect.shape(student.relu(x), x.shape, "relu(x)", "hint.return_array")
    expect.holds(np.all(out >= 0), Fact("모든 값이 0 이상", "every value is >= 0"), "relu(x)")
    expect.close(out[x > 0], x[x > 0], Fact("양수는 그대로", "positives unchanged"), "relu(x)")


@pytest.mark.item("relu")
def test_relu_leaves_its_input_alone(student, rng):
    """ReLU 는 입력 배열을 바꾸지 않는다
    relu does not change its input array"""
    x = rng.normal(size=10)
    before = x.copy()
    student.inplace.relu(x)
    expect.close(x, before, Fact("입력이 그대로", "the input is unchanged"), "relu(x)",
                 "hint.no_inplace")


@pytest.mark.item("identity_function")
def test_identity_returns_its_input(student, rng):
    """항등 함수는 입력을 그대로 돌려준다
    identity_function returns its input as it is"""
    x = rng.normal(size=(2, 3))
    expect.close(student.identity_function(x), x, Fact("출력 = 입력", "output = input"),
                 "identity_function(x)")

"""Public checks of softmax: probabilities, order, shift invariance, no overflow."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

pytestmark = pytest.mark.item("softmax")

SUMS_TO_ONE = Fact("합이 1", "the values sum to 1")


def test_one_sample_is_a_probability_vector(student, rng):
    """1차원 입력의 softmax 는 합이 1 인 양수들이다
    softmax of one sample (1-D) is positive and sums to 1"""
    x = rng.normal(size=6)
    out = expect.shape(student.softmax(x), x.shape, "softmax(x)", "hint.return_array")
    expect.holds(np.all(out > 0), Fact("모든 값이 양수", "every value is positive"), "softmax(x)")
    expect.close(np.sum(out), 1.0, SUMS_TO_ONE, "softmax(x)")


def test_keeps_the_order(student, rng):
    """softmax 는 값의 크기 순서를 바꾸지 않는다
    softmax keeps the order of the values"""
    x = rng.normal(size=8)
    out = expect.shape(student.softmax(x), x.shape, "softmax(x)")
    expect.holds(np.array_equal(np.argsort(out), np.argsort(x)),
                 Fact("큰 입력이 큰 확률", "a larger input gets a larger probability"), "softmax(x)")


def test_adding_a_constant_changes_nothing(student, rng):
    """모든 입력에 같은 수를 더해도 softmax 는 같다
    adding the same number to every input leaves softmax unchanged"""
    x = rng.normal(size=5)
    expect.close(student.softmax(x + 3.0), student.softmax(x),
                 Fact("softmax(x + c) = softmax(x)", "softmax(x + c) = softmax(x)"), "softmax(x + 3)")


def test_large_inputs_do_not_overflow(student):
    """아주 크거나 넓게 퍼진 입력에서도 inf 나 nan 이 나오지 않는다
    very large or widely spread inputs give no inf or nan"""
    for x in (np.array([1010.0, 1000.0, 990.0]), np.array([1000.0, 0.0, -1000.0])):
        call = f"softmax([{', '.join(f'{v:g}' for v in x)}])"
        out = expect.finite(student.softmax(x), call, "hint.overflow")
        expect.close(np.sum(out), 1.0, SUMS_TO_ONE, call, "hint.overflow")


def test_each_row_of_a_batch(student, rng):
    """배치 (N, C) 에서는 행마다 합이 1 이고, 각 행은 따로 계산한 것과 같다
    for a batch (N, C) every row sums to 1 and equals softmax of that row alone"""
    x = rng.normal(size=(4, 3))
    out = expect.shape(student.softmax(x), x.shape, "softmax(x)", "hint.batch_axis")
    expect.close(np.sum(out, axis=1), np.ones(4), Fact("행마다 합이 1", "every row sums to 1"),
                 "softmax(x)", "hint.batch_axis")
    rows = np.array([np.asarray(student.softmax(row), dtype=float) for row in x])
    expect.close(out, rows, Fact("배치 결과 = 행별 결과", "batch result = row-by-row results"),
                 "softmax(x)", "hint.batch_axis")

"""Public checks of the weight scales: how they shrink with the fan-in, and the values by hash."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

FAN_INS = (1, 2, 50, 100, 784)


def _scales(student, name):
    fn = getattr(student, name)
    return np.array([expect.scalar(fn(n), f"{name}({n})") for n in FAN_INS])


def _check_shrinks(student, name):
    for n in (3, 10, 100):
        one, four = (expect.scalar(getattr(student, name)(m), f"{name}({m})") for m in (n, 4 * n))
        expect.holds(one > 0, Fact("양수", "positive"), f"{name}({n})")
        expect.close(four, one / 2, Fact("n 이 4배면 표준편차는 절반 (1/√n 에 비례)",
                                         "four times n halves the std (proportional to 1/√n)"),
                     f"{name}({4 * n})", "hint.formula")


@pytest.mark.item("he_std")
def test_he_std_shrinks_like_one_over_sqrt_n(student):
    """he_std(n) 은 양수이고 1/√n 에 비례한다
    he_std(n) is positive and proportional to 1/√n"""
    _check_shrinks(student, "he_std")


@pytest.mark.item("he_std")
def test_he_std_values(student):
    """he_std 의 값이 맞다 (해시로 비교)
    he_std gives the right values (compared by hash)"""
    expect.hashed(_scales(student, "he_std"), "f0c8c137e6cbaaeb9e679a40acf7a01e", "ch06/he_std/1",
                  "he_std(n)", hint="hint.formula")


@pytest.mark.item("xavier_std")
def test_xavier_std_shrinks_like_one_over_sqrt_n(student):
    """xavier_std(n) 은 양수이고 1/√n 에 비례한다
    xavier_std(n) is positive and proportional to 1/√n"""
    _check_shrinks(student, "xavier_std")


@pytest.mark.item("xavier_std")
def test_xavier_std_values(student):
    """xavier_std 의 값이 맞다 (해시로 비교)
    xavier_std gives the right values (compared by hash)"""
    expect.hashed(_scales(student, "xavier_std"), "e22e984ab74f73e7c3757aeba75e6149", "ch06/xavier_std/1",
                  "xavier_std(n)", hint="hint.formula")

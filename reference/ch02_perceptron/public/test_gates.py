"""Public checks of the logic gates: a gate's truth table is its definition, not an answer
to hide, so it is written out here; how the perceptron reaches it is the student's."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

# The four input pairs, x1 varying fastest: (0, 0), (1, 0), (0, 1), (1, 1).
ROWS = tuple((x1, x2) for x2 in (0, 1) for x1 in (0, 1))
TABLES = {"AND": (0, 0, 0, 1), "NAND": (1, 1, 1, 0), "OR": (0, 1, 1, 1), "XOR": (0, 1, 1, 0)}


def _table(student, name, rows=ROWS):
    gate = getattr(student, name)
    return [expect.numbers(gate(x1, x2), f"{name}({x1}, {x2})") for x1, x2 in rows]


def _check_table(student, name):
    got = _table(student, name)
    for (x1, x2), value, want in zip(ROWS, got, TABLES[name]):
        expect.close(value.reshape(-1), [want],
                     Fact(f"{name} 의 진리표", f"{name}'s truth table"), f"{name}({x1}, {x2})",
                     "hint.formula")


def _check_numbers(student, name):
    gate = getattr(student, name)
    for x1, x2 in ROWS:
        out = gate(x1, x2)
        call = f"{name}({x1}, {x2})"
        expect.numbers(out, call)
        expect.holds(np.size(out) == 1, Fact("결과가 숫자 하나", "the result is one number"), call)
        expect.kind(out, "iuf", "int (0 / 1)", call, "hint.int_not_bool")


@pytest.mark.item("AND")
def test_and_truth_table(student):
    """AND 는 (1, 1) 에서만 1 이다
    AND gives 1 only for (1, 1)"""
    _check_table(student, "AND")


@pytest.mark.item("AND")
def test_and_gives_numbers(student):
    """AND 는 True/False 가 아닌 숫자 0 또는 1 하나를 돌려준다
    AND returns one number 0 or 1, not True/False"""
    _check_numbers(student, "AND")


@pytest.mark.item("NAND")
def test_nand_truth_table(student):
    """NAND 는 (1, 1) 에서만 0 이다
    NAND gives 0 only for (1, 1)"""
    _check_table(student, "NAND")


@pytest.mark.item("NAND")
def test_nand_gives_numbers(student):
    """NAND 는 숫자 0 또는 1 하나를 돌려준다
    NAND returns one number 0 or 1"""
    _check_numbers(student, "NAND")


@pytest.mark.item("OR")
def test_or_truth_table(student):
    """OR 는 (0, 0) 에서만 0 이다
    OR gives 0 only for (0, 0)"""
    _check_table(student, "OR")


@pytest.mark.item("OR")
def test_or_gives_numbers(student):
    """OR 는 숫자 0 또는 1 하나를 돌려준다
    OR returns one number 0 or 1"""
    _check_numbers(student, "OR")


@pytest.mark.item("XOR")
def test_xor_truth_table(student):
    """XOR 는 두 입력이 다를 때만 1 이다
    XOR gives 1 only when the inputs differ"""
    _check_table(student, "XOR")


@pytest.mark.item("XOR")
def test_xor_gives_numbers(student):
    """XOR 는 숫자 0 또는 1 하나를 돌려준다
    XOR returns one number 0 or 1"""
    _check_numbers(student, "XOR")


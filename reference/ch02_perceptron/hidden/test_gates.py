"""The logic gates of sections 2.3-2.5: AND, NAND and OR as one perceptron, XOR as two layers.

Each gate is checked on its whole truth table at once, so a wrong gate is recognised by
the table it gives (OR's table where AND was asked, every row flipped) and named in a hint.
"""

import numpy as np
import pytest

from autograder.feedback import msg
from autograder.grading.checks import CheckFailed, assert_close, assert_dtype_kind
from reference.ch02_perceptron.hints import ROWS, gate_variants

FLOAT_ROWS = tuple((float(x1), float(x2)) for x1, x2 in ROWS)


def _one_number(answer, expected, call):
    """The answer as a float when it is one number; anything else fails, saying what it is."""
    if not isinstance(answer, (list, tuple)):
        try:
            arr = np.asarray(answer)
        except (TypeError, ValueError):
            arr = None
        if arr is not None and arr.dtype.kind in "biuf" and arr.size == 1:
            return float(arr.reshape(()))
    # None, a string, an object or several numbers: assert_close names the problem (and a
    # one-element list passes or not as the assignment's [checks] policy says).
    return float(assert_close(answer, expected, call=call).reshape(()))


def _check_table(student, reference, name, rows):
    gate, right = getattr(student, name), getattr(reference, name)
    expected = np.array([right(x1, x2) for x1, x2 in rows])
    got = np.array([_one_number(gate(x1, x2), e, f"{name}({x1}, {x2})")
                    for (x1, x2), e in zip(rows, expected)])
    try:
        assert_close(got, expected, call=f"[{name}(x1, x2) for x1, x2 in rows]",
                     inputs={"rows": np.array(rows)}, variants=gate_variants(name, rows))
    except CheckFailed as failed:
        if not failed.hint and not np.all(np.isin(got, (0.0, 1.0))):
            raise CheckFailed(failed.feedback, msg("hint.gate_not_binary")) from None
        if not failed.hint and name == "XOR" and _a_layer_is_wrong(student, reference, rows):
            raise CheckFailed(failed.feedback, msg("hint.gate_xor_wrong_layer")) from None
        raise


def _a_layer_is_wrong(student, reference, rows) -> bool:
    """Does one of the gates XOR is built from give a wrong table? (Only to choose a hint.)"""
    for name in ("NAND", "OR", "AND"):
        try:
            gate = getattr(student, name)
            table = [float(np.asarray(gate(x1, x2), dtype=np.float64).reshape(-1)[0])
                     for x1, x2 in rows]
        except Exception:  # a missing or broken gate fails its own tests; here it is wrong
            return True
        if table != [float(getattr(reference, name)(x1, x2)) for x1, x2 in rows]:
            return True
    return False


def _check_numbers(student, name):
    gate = getattr(student, name)
    for x1, x2 in ROWS:
        try:
            assert_dtype_kind(gate(x1, x2), "iuf", call=f"{name}({x1}, {x2})", want="int (0 or 1)")
        except CheckFailed as failed:
            # The generic bool hint speaks of arrays; a gate returns one number.
            raise CheckFailed(failed.feedback, msg("hint.gate_bool") if failed.hint else None) from None


# --- AND ---------------------------------------------------------------------------

@pytest.mark.item("AND")
@pytest.mark.points(3)
def test_and_truth_table(student, reference):
    """AND(x1, x2) gives 1 only for (1, 1), on the inputs 0 and 1"""
    _check_table(student, reference, "AND", ROWS)


@pytest.mark.item("AND")
@pytest.mark.points(1)
def test_and_float_inputs(student, reference):
    """AND gives the same truth table for the float inputs 0.0 and 1.0"""
    _check_table(student, reference, "AND", FLOAT_ROWS)


@pytest.mark.item("AND")
@pytest.mark.points(1)
def test_and_returns_numbers(student):
    """AND returns the numbers 0 and 1, not True/False"""
    _check_numbers(student, "AND")


# --- NAND --------------------------------------------------------------------------

@pytest.mark.item("NAND")
@pytest.mark.points(3)
def test_nand_truth_table(student, reference):
    """NAND(x1, x2) gives 0 only for (1, 1), on the inputs 0 and 1"""
    _check_table(student, reference, "NAND", ROWS)


@pytest.mark.item("NAND")
@pytest.mark.points(1)
def test_nand_float_inputs(student, reference):
    """NAND gives the same truth table for the float inputs 0.0 and 1.0"""
    _check_table(student, reference, "NAND", FLOAT_ROWS)


@pytest.mark.item("NAND")
@pytest.mark.points(1)
def test_nand_returns_numbers(student):
    """NAND returns the numbers 0 and 1, not True/False"""
    _check_numbers(student, "NAND")


# --- OR ----------------------------------------------------------------------------

@pytest.mark.item("OR")
@pytest.mark.points(3)
def test_or_truth_table(student, reference):
    """OR(x1, x2) gives 0 only for (0, 0), on the inputs 0 and 1"""
    _check_table(student, reference, "OR", ROWS)


@pytest.mark.item("OR")
@pytest.mark.points(1)
def test_or_float_inputs(student, reference):
    """OR gives the same truth table for the float inputs 0.0 and 1.0"""
    _check_table(student, reference, "OR", FLOAT_ROWS)


@pytest.mark.item("OR")
@pytest.mark.points(1)
def test_or_returns_numbers(student):
    """OR returns the numbers 0 and 1, not True/False"""
    _check_numbers(student, "OR")


# --- XOR ---------------------------------------------------------------------------

@pytest.mark.item("XOR")
@pytest.mark.points(3)
def test_xor_truth_table(student, reference):
    """XOR(x1, x2) gives 1 when exactly one input is 1, on the inputs 0 and 1"""
    _check_table(student, reference, "XOR", ROWS)


@pytest.mark.item("XOR")
@pytest.mark.points(1)
def test_xor_float_inputs(student, reference):
    """XOR gives the same truth table for the float inputs 0.0 and 1.0"""
    _check_table(student, reference, "XOR", FLOAT_ROWS)


@pytest.mark.item("XOR")
@pytest.mark.points(1)
def test_xor_returns_numbers(student):
    """XOR returns the numbers 0 and 1, not True/False"""
    _check_numbers(student, "XOR")

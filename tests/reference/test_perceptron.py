import pytest

from reference.ch02_perceptron.perceptron import AND, NAND, OR, XOR

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]
TRUTH = {
    AND: [0, 0, 0, 1],
    NAND: [1, 1, 1, 0],
    OR: [0, 1, 1, 1],
    XOR: [0, 1, 1, 0],
}


@pytest.mark.parametrize("gate", list(TRUTH), ids=lambda g: g.__name__)
def test_truth_table(gate):
    out = [gate(x1, x2) for x1, x2 in INPUTS]
    assert out == TRUTH[gate]
    # The book prints plain ints (0/1), not numpy bools or arrays.
    assert all(type(v) is int for v in out)


def test_xor_is_and_of_nand_and_or():
    for x1, x2 in INPUTS:
        assert XOR(x1, x2) == AND(NAND(x1, x2), OR(x1, x2))

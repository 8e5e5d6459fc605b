"""MulLayer: the multiply node of the computational graph (sections 5.3-5.4.1)."""

import pytest

from autograder.grading.checks import assert_close, assert_grad_close
from reference.ch05_backprop.hints import mul_backward_variants
from reference.ch05_backprop.node_checks import (check_backward_against_own_forward,
                                               check_backward_against_reference, check_forward,
                                               two_gradients)

pytestmark = pytest.mark.item("MulLayer")


@pytest.mark.points(3)
def test_book_apple_example(student, reference):
    """the book's apples (100 won x 2, tax 1.1): price 220, d apple 2.2, d apple_num 110, d tax 200"""
    apple, apple_num, tax = 100, 2, 1.1
    ref_apple, ref_tax = reference.MulLayer(), reference.MulLayer()
    ref_price = ref_tax.forward(ref_apple.forward(apple, apple_num), tax)
    ref_dapple_price, ref_dtax = ref_tax.backward(1)
    ref_dapple, ref_dapple_num = ref_apple.backward(ref_dapple_price)

    mul_apple, mul_tax = student.MulLayer(), student.MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    assert_close(apple_price, ref_apple.forward(apple, apple_num),
                 call="mul_apple.forward(100, 2)")
    price = mul_tax.forward(apple_price, tax)
    assert_close(price, ref_price, call="mul_tax.forward(apple_price, 1.1)")
    dapple_price, dtax = two_gradients(mul_tax.backward(1), "mul_tax.backward(1)")
    wrong_dx, wrong_dy = mul_backward_variants(ref_apple.forward(apple, apple_num), tax, 1)
    assert_close(dapple_price, ref_dapple_price, call="mul_tax.backward(1)[0] (dapple_price)",
                 variants=wrong_dx)
    assert_close(dtax, ref_dtax, call="mul_tax.backward(1)[1] (dtax)", variants=wrong_dy)
    dapple, dapple_num = two_gradients(mul_apple.backward(dapple_price), "mul_apple.backward(dapple_price)")
    wrong_dx, wrong_dy = mul_backward_variants(apple, apple_num, ref_dapple_price)
    assert_close(dapple, ref_dapple, call="mul_apple.backward(dapple_price)[0] (dapple)",
                 variants=wrong_dx)
    assert_close(dapple_num, ref_dapple_num, call="mul_apple.backward(dapple_price)[1] (dapple_num)",
                 variants=wrong_dy)


@pytest.mark.points(2)
def test_forward_vectors_and_batches(student, reference, rng):
    """forward(x, y) multiplies element by element, for 1-D arrays and for batches (N, D)"""
    check_forward(student, reference, rng, "MulLayer")


@pytest.mark.points(2)
def test_backward_matches_reference(student, reference, rng):
    """backward(dout) returns dx = dout * y and dy = dout * x for the last forward's x, y"""
    check_backward_against_reference(student, reference, rng, "MulLayer", mul_backward_variants)


@pytest.mark.points(2)
def test_backward_matches_own_forward(student, reference, rng):
    """dx and dy agree with the numerical gradient of your own forward"""
    check_backward_against_own_forward(student, reference, rng, "MulLayer", mul_backward_variants)


@pytest.mark.points(1)
def test_backward_uses_last_forward(student, reference, rng):
    """after two forward calls, backward uses the inputs of the second one"""
    x1, y1, x2, y2, dout = (rng.normal(size=4) for _ in range(5))
    layer = student.MulLayer()
    layer.forward(x1, y1)
    layer.forward(x2, y2)
    dx, dy = two_gradients(layer.backward(dout), "layer.backward(dout)")
    ref = reference.MulLayer()
    ref.forward(x2, y2)
    ref_dx, ref_dy = ref.backward(dout)
    inputs = {"x (2nd call)": x2, "y (2nd call)": y2, "dout": dout}
    wrong_dx, wrong_dy = mul_backward_variants(x2, y2, dout)
    assert_grad_close(dx, ref_dx, call="layer.backward(dout)[0] (dx)", inputs=inputs,
                      variants={**wrong_dx, "mul_backward_stale": dout * y1})
    assert_grad_close(dy, ref_dy, call="layer.backward(dout)[1] (dy)", inputs=inputs,
                      variants={**wrong_dy, "mul_backward_stale": dout * x1})

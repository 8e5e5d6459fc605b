"""MulLayer: the multiply node of the computational graph (sections 5.3-5.4.1)."""

import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_grad_close, assert_true
from autograder.grading.gradcheck import numerical_grad_of
from reference.ch05_backprop.hints import mul_backward_variants

pytestmark = pytest.mark.item("MulLayer")


def _pair(result, call):
    assert_true(isinstance(result, (tuple, list)) and len(result) == 2, call=call,
                what="returns two gradients: dx, dy", returned=result)
    return result


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
    dapple_price, dtax = _pair(mul_tax.backward(1), "mul_tax.backward(1)")
    wrong_dx, wrong_dy = mul_backward_variants(ref_apple.forward(apple, apple_num), tax, 1)
    assert_close(dapple_price, ref_dapple_price, call="mul_tax.backward(1)[0] (dapple_price)",
                 variants=wrong_dx)
    assert_close(dtax, ref_dtax, call="mul_tax.backward(1)[1] (dtax)", variants=wrong_dy)
    dapple, dapple_num = _pair(mul_apple.backward(dapple_price), "mul_apple.backward(dapple_price)")
    wrong_dx, wrong_dy = mul_backward_variants(apple, apple_num, ref_dapple_price)
    assert_close(dapple, ref_dapple, call="mul_apple.backward(dapple_price)[0] (dapple)",
                 variants=wrong_dx)
    assert_close(dapple_num, ref_dapple_num, call="mul_apple.backward(dapple_price)[1] (dapple_num)",
                 variants=wrong_dy)


@pytest.mark.points(2)
def test_forward_vectors_and_batches(student, reference, rng):
    """forward(x, y) multiplies element by element, for 1-D arrays and for batches (N, D)"""
    for shape in [(5,), (3, 4)]:
        x, y = rng.normal(size=shape), rng.normal(size=shape)
        assert_close(student.MulLayer().forward(x, y), reference.MulLayer().forward(x, y),
                     call="MulLayer().forward(x, y)", inputs={"x": x, "y": y})


@pytest.mark.points(2)
def test_backward_matches_reference(student, reference, rng):
    """backward(dout) returns dx = dout * y and dy = dout * x for the last forward's x, y"""
    x, y, dout = (rng.normal(size=(3, 4)) for _ in range(3))
    layer, ref = student.MulLayer(), reference.MulLayer()
    layer.forward(x, y)
    ref.forward(x, y)
    dx, dy = _pair(layer.backward(dout), "layer.backward(dout)")
    ref_dx, ref_dy = ref.backward(dout)
    wrong_dx, wrong_dy = mul_backward_variants(x, y, dout)
    inputs = {"x": x, "y": y, "dout": dout}
    assert_grad_close(dx, ref_dx, call="layer.backward(dout)[0] (dx)", inputs=inputs,
                      variants=wrong_dx)
    assert_grad_close(dy, ref_dy, call="layer.backward(dout)[1] (dy)", inputs=inputs,
                      variants=wrong_dy)


@pytest.mark.points(2)
def test_backward_matches_own_forward(student, rng):
    """dx and dy agree with the numerical gradient of your own forward"""
    x, y, dout = (rng.normal(size=(2, 3)) for _ in range(3))
    layer = student.MulLayer()
    layer.forward(x, y)
    dx, dy = _pair(layer.backward(dout), "layer.backward(dout)")
    probe = student.MulLayer()
    inputs = {"x": x, "y": y, "dout": dout}
    wrong_dx, wrong_dy = mul_backward_variants(x, y, dout)
    assert_grad_close(dx, numerical_grad_of(lambda v: probe.forward(v, y), x, dout),
                      call="layer.backward(dout)[0] (dx) vs numerical d forward / dx",
                      inputs=inputs, threshold=tol.NUMERICAL_GRAD_REL_TOL, variants=wrong_dx)
    assert_grad_close(dy, numerical_grad_of(lambda v: probe.forward(x, v), y, dout),
                      call="layer.backward(dout)[1] (dy) vs numerical d forward / dy",
                      inputs=inputs, threshold=tol.NUMERICAL_GRAD_REL_TOL, variants=wrong_dy)


@pytest.mark.points(1)
def test_backward_uses_last_forward(student, reference, rng):
    """after two forward calls, backward uses the inputs of the second one"""
    x1, y1, x2, y2, dout = (rng.normal(size=4) for _ in range(5))
    layer = student.MulLayer()
    layer.forward(x1, y1)
    layer.forward(x2, y2)
    dx, dy = _pair(layer.backward(dout), "layer.backward(dout)")
    ref = reference.MulLayer()
    ref.forward(x2, y2)
    ref_dx, ref_dy = ref.backward(dout)
    inputs = {"x (2nd call)": x2, "y (2nd call)": y2, "dout": dout}
    wrong_dx, wrong_dy = mul_backward_variants(x2, y2, dout)
    assert_grad_close(dx, ref_dx, call="layer.backward(dout)[0] (dx)", inputs=inputs,
                      variants={**wrong_dx, "mul_backward_stale": dout * y1})
    assert_grad_close(dy, ref_dy, call="layer.backward(dout)[1] (dy)", inputs=inputs,
                      variants={**wrong_dy, "mul_backward_stale": dout * x1})

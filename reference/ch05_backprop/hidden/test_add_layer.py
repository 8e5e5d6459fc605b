"""AddLayer: the add node of the computational graph (section 5.4.2)."""

import pytest

from autograder.grading.checks import assert_close
from reference.ch05_backprop.hints import add_backward_variants
from reference.ch05_backprop.node_checks import (check_backward_against_own_forward,
                                               check_backward_against_reference, check_forward,
                                               two_gradients)

pytestmark = pytest.mark.item("AddLayer")


def _book_graph(add_layer, mul_layer_cls):
    """Figure 5-17 run forward and backward; every multiplication is a `mul_layer_cls`."""
    mul_apple, mul_orange, mul_tax = mul_layer_cls(), mul_layer_cls(), mul_layer_cls()
    apple_price, orange_price = mul_apple.forward(100, 2), mul_orange.forward(150, 3)
    all_price = add_layer.forward(apple_price, orange_price)
    values = {"apple_price": apple_price, "orange_price": orange_price, "all_price": all_price,
              "price": mul_tax.forward(all_price, 1.1)}
    values["dall_price"], values["dtax"] = mul_tax.backward(1)
    values["dapple_price"], values["dorange_price"] = add_layer.backward(values["dall_price"])
    values["dorange"], values["dorange_num"] = mul_orange.backward(values["dorange_price"])
    values["dapple"], values["dapple_num"] = mul_apple.backward(values["dapple_price"])
    return values


@pytest.mark.points(3)
def test_book_apple_orange_example(student, reference):
    """the book's apples and oranges: price 715, d apple 2.2, d apple_num 110, d orange 3.3, d orange_num 165, d tax 650"""
    expected = _book_graph(reference.AddLayer(), reference.MulLayer)
    # Your AddLayer in the book's graph; the multiplications are the reference's, so a
    # MulLayer mistake is charged to MulLayer's tests, not here.
    add = student.AddLayer()
    all_price = add.forward(expected["apple_price"], expected["orange_price"])
    assert_close(all_price, expected["all_price"], call="add.forward(apple_price, orange_price)",
                 inputs={"apple_price": expected["apple_price"],
                         "orange_price": expected["orange_price"]})
    back = two_gradients(add.backward(expected["dall_price"]), "add.backward(dall_price)")
    wrong_dx, wrong_dy = add_backward_variants(expected["apple_price"], expected["orange_price"],
                                               expected["dall_price"])
    assert_close(back[0], expected["dapple_price"], call="add.backward(dall_price)[0] (dapple_price)",
                 inputs={"dall_price": expected["dall_price"]}, variants=wrong_dx)
    assert_close(back[1], expected["dorange_price"], call="add.backward(dall_price)[1] (dorange_price)",
                 inputs={"dall_price": expected["dall_price"]}, variants=wrong_dy)
    # The whole graph once more with your layer inside: the book's five gradients.
    got = _book_graph(student.AddLayer(), reference.MulLayer)
    for name in ("price", "dapple", "dapple_num", "dorange", "dorange_num", "dtax"):
        assert_close(got[name], expected[name], call=f"{name} of the apple-orange graph")


@pytest.mark.points(2)
def test_forward_vectors_and_batches(student, reference, rng):
    """forward(x, y) adds element by element, for 1-D arrays and for batches (N, D)"""
    check_forward(student, reference, rng, "AddLayer")


@pytest.mark.points(3)
def test_backward_matches_reference(student, reference, rng):
    """backward(dout) passes dout on unchanged to both inputs: dx = dy = dout"""
    check_backward_against_reference(student, reference, rng, "AddLayer", add_backward_variants)


@pytest.mark.points(2)
def test_backward_matches_own_forward(student, reference, rng):
    """dx and dy agree with the numerical gradient of your own forward"""
    check_backward_against_own_forward(student, reference, rng, "AddLayer", add_backward_variants)

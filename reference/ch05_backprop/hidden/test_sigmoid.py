"""Sigmoid: the sigmoid layer, backward dout * y * (1 - y) from the forward's output (5.5.2)."""

import pytest

from autograder.feedback import msg
from autograder.grading import tolerances as tol
from autograder.grading.checks import CheckFailed, assert_close, assert_grad_close, assert_restored
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of
from reference.ch05_backprop.hints import sigmoid_backward_variants

pytestmark = pytest.mark.item("Sigmoid")


def _backward_check(student, reference, x, dout):
    layer, ref = student.Sigmoid(), reference.Sigmoid()
    layer.forward(x)
    ref.forward(x)
    assert_grad_close(layer.backward(dout), ref.backward(dout), call="layer.backward(dout)",
                      inputs={"x": x, "dout": dout}, variants=sigmoid_backward_variants(x, dout))


@pytest.mark.points(2)
def test_forward_vector(student, reference, rng):
    """forward(x) is 1 / (1 + exp(-x)) on a 1-D array"""
    x = rng.normal(scale=3.0, size=7)
    assert_close(student.Sigmoid().forward(x), reference.Sigmoid().forward(x),
                 call="Sigmoid().forward(x)", inputs={"x": x})


@pytest.mark.points(1)
def test_forward_batch(student, reference, rng):
    """forward works element by element on a batch (N, D) and keeps its shape"""
    x = rng.normal(scale=3.0, size=(4, 5))
    assert_close(student.Sigmoid().forward(x), reference.Sigmoid().forward(x),
                 call="Sigmoid().forward(x)", inputs={"x": x})


@pytest.mark.points(1)
def test_forward_leaves_input_unchanged(student, rng):
    """forward leaves x as it was"""
    x = rng.normal(size=(3, 4))
    before = x.copy()
    student.inplace.Sigmoid().forward(x)
    try:
        assert_restored(before, x, call="Sigmoid().forward(x)")
    except CheckFailed as failed:
        raise CheckFailed(failed.feedback, msg("hint.backprop_layer_input_changed")) from None


@pytest.mark.points(1)
def test_backward_vector(student, reference, rng):
    """backward(dout) after forward on a 1-D array is dout * y * (1 - y)"""
    _backward_check(student, reference, rng.normal(scale=2.0, size=6), rng.normal(size=6))


@pytest.mark.points(2)
def test_backward_matches_reference(student, reference, rng):
    """backward(dout) on a batch is dout * y * (1 - y), y being the forward's output"""
    _backward_check(student, reference, rng.normal(scale=2.0, size=(4, 5)),
                    rng.normal(size=(4, 5)))


@pytest.mark.points(2)
def test_backward_matches_own_forward(student, reference, rng):
    """backward agrees with the numerical gradient of your own forward (a forward that computes the sigmoid's job, not a constant or x itself)"""
    x, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    layer = student.Sigmoid()
    layer.forward(x)
    dx = layer.backward(dout)
    probe, ref = student.Sigmoid(), reference.Sigmoid()
    ref.forward(x)
    assert_own_grad_close(dx, numerical_grad_of(probe.forward, x, dout), ref.backward(dout),
                          call="layer.backward(dout) vs numerical d forward / dx", dout=dout,
                          inputs={"x": x, "dout": dout}, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                          variants=sigmoid_backward_variants(x, dout))


@pytest.mark.points(1)
def test_backward_uses_last_forward(student, reference, rng):
    """after two forward calls, backward uses the second call's output"""
    x1, x2, dout = rng.normal(size=6), rng.normal(size=6), rng.normal(size=6)
    layer, ref, first = student.Sigmoid(), reference.Sigmoid(), reference.Sigmoid()
    layer.forward(x1)
    layer.forward(x2)
    ref.forward(x2)
    first.forward(x1)
    assert_grad_close(layer.backward(dout), ref.backward(dout), call="layer.backward(dout)",
                      inputs={"x (1st call)": x1, "x (2nd call)": x2, "dout": dout},
                      variants={**sigmoid_backward_variants(x2, dout),
                                "sigmoid_stale_out": first.backward(dout)})

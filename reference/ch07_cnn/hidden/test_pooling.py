"""Pooling(pool_h, pool_w, stride=1, pad=0): max pooling, channel by channel; backward sends
each window's gradient to the element that was its maximum (sections 7.3, 7.4.4).

The book's layer defaults to stride=1 and this course's reference to stride=2, so every
test passes stride. The book never pools with padding (its Pooling computes its output
size without pad and cannot), so no test passes pad: a Pooling with or without a pad
parameter, padding with zeros or -inf, is graded alike. Inputs have no ties (which maximum
gets a tie's gradient is not the lesson).
"""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_grad_close, assert_shape
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of
from reference.ch07_cnn.hints import pool_backward_variants, pool_forward_variants

pytestmark = pytest.mark.item("Pooling")

# The book's figure 7-14: 2x2 max pooling with stride 2 gives [[2, 3], [4, 2]].
BOOK_X = np.array([[1, 2, 1, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 4, 0, 1]], dtype=float)


def _distinct(rng, shape):
    """Values at least 0.01 apart (far more than a numerical step), so no window has a tie."""
    size = int(np.prod(shape))
    return rng.permutation(size).reshape(shape) * (4.0 / size) - 2.0


def _layer(pool_h, pool_w, stride):
    return f"Pooling({pool_h}, {pool_w}, {stride})"


def _forward_check(student, reference, x, pool_h, pool_w, stride):
    # Positional, in the book's order: students rename the parameters.
    assert_close(student.Pooling(pool_h, pool_w, stride).forward(x),
                 reference.Pooling(pool_h, pool_w, stride).forward(x),
                 call=f"{_layer(pool_h, pool_w, stride)}.forward(x)", inputs={"x": x},
                 variants=pool_forward_variants(x, pool_h, pool_w, stride, 0))


def _backward_check(student, reference, x, pool_h, pool_w, stride, rng):
    mine = student.Pooling(pool_h, pool_w, stride)
    ref = reference.Pooling(pool_h, pool_w, stride)
    mine.forward(x)
    dout = rng.normal(size=ref.forward(x).shape)
    assert_grad_close(mine.backward(dout), ref.backward(dout),
                      call=f"{_layer(pool_h, pool_w, stride)}.backward(dout)",
                      inputs={"x": x, "dout": dout},
                      variants=pool_backward_variants(x, pool_h, pool_w, stride, dout, 0))


@pytest.mark.points(2)
def test_book_example(student, reference):
    """2x2 max pooling with stride 2 of the book's 4x4 example is [[2, 3], [4, 2]]"""
    _forward_check(student, reference, BOOK_X.reshape(1, 1, 4, 4), 2, 2, 2)


@pytest.mark.points(3)
def test_forward_batch(student, reference, rng):
    """forward of a batch (2, 3, 4, 4), 2x2 windows with stride 2: shape (2, 3, 2, 2), each channel apart"""
    _forward_check(student, reference, _distinct(rng, (2, 3, 4, 4)), 2, 2, 2)


@pytest.mark.points(2)
def test_forward_overlapping_windows(student, reference, rng):
    """forward with overlapping 3x3 windows and stride=2 on (2, 2, 7, 7): shape (2, 2, 3, 3)"""
    _forward_check(student, reference, _distinct(rng, (2, 2, 7, 7)), 3, 3, 2)


@pytest.mark.points(3)
def test_backward(student, reference, rng):
    """backward(dout) sends each window's gradient to its maximum, as the reference does"""
    _backward_check(student, reference, _distinct(rng, (2, 3, 4, 4)), 2, 2, 2, rng)


@pytest.mark.points(3)
def test_backward_matches_own_forward(student, reference, rng):
    """dx from backward is the numerical gradient of your own forward, which depends on x as max pooling does"""
    x = _distinct(rng, (2, 2, 4, 4))
    layer = student.Pooling(2, 2, 2)
    assert_shape(layer.forward(x), (2, 2, 2, 2), call="Pooling(2, 2, 2).forward(x)")
    dout = rng.normal(size=(2, 2, 2, 2))
    numerical = numerical_grad_of(student.Pooling(2, 2, 2).forward, x, dout)
    ref = reference.Pooling(2, 2, 2)
    ref.forward(x)
    assert_own_grad_close(layer.backward(dout), numerical, ref.backward(dout),
                          call="Pooling(2, 2, 2).backward(dout)", dout=dout,
                          inputs={"x": x, "dout": dout}, threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.points(3)
def test_backward_overlapping_windows_add_up(student, reference, rng):
    """with 2x2 windows and stride 1, a pixel that is the maximum of several windows gets their sum"""
    _backward_check(student, reference, _distinct(rng, (2, 2, 4, 4)), 2, 2, 1, rng)


@pytest.mark.points(2)
def test_backward_3x3_stride_2(student, reference, rng):
    """backward with 3x3 windows and stride=2 on (2, 2, 7, 7): overlapping windows, dx of the input's shape"""
    _backward_check(student, reference, _distinct(rng, (2, 2, 7, 7)), 3, 3, 2, rng)


@pytest.mark.points(2)
def test_state_across_calls(student, reference, rng):
    """after two forwards, backward routes through the maxima of the last input"""
    first, last = _distinct(rng, (2, 2, 4, 4)), _distinct(rng, (3, 2, 4, 4))
    mine, ref = student.Pooling(2, 2, 2), reference.Pooling(2, 2, 2)
    for x in (first, last):
        assert_close(mine.forward(x), ref.forward(x), call="Pooling(2, 2, 2).forward(x)",
                     inputs={"x": x})
    dout = rng.normal(size=(3, 2, 2, 2))
    assert_grad_close(mine.backward(dout), ref.backward(dout),
                      call="Pooling(2, 2, 2).backward(dout) after the second forward",
                      inputs={"x": last, "dout": dout})

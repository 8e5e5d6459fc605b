"""Convolution(W, b, stride=1, pad=0): x (N, C, H, W) -> (N, FN, OH, OW) through im2col,
backward gives dx and keeps dW (FN, C, FH, FW) and db (FN,) (sections 7.2, 7.4.3)."""

import numpy as np
import pytest

from autograder.grading import tolerances as tol
from autograder.grading.checks import assert_close, assert_grad_close, assert_shape
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of
from reference.ch07_cnn.hints import conv_backward_variants, conv_forward_variants

pytestmark = pytest.mark.item("Convolution")

# The book's figure 7-3 / 7-5: a 4x4 input, a 3x3 filter, bias 3.
BOOK_X = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)
BOOK_W = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]], dtype=float)


def _case(rng, x_shape, fn, fh, fw):
    """Random x, and W, b for a layer of fn filters of fh x fw."""
    x = rng.normal(size=x_shape)
    W = rng.normal(size=(fn, x_shape[1], fh, fw))
    b = rng.normal(size=fn)
    return x, W, b


def _extra(stride, pad):
    """stride and pad as a case needs them: only those that differ from the book's defaults
    (stride=1, pad=0), so a layer written without `pad` loses only the padded cases.
    Positional, in the book's order: students rename the parameters."""
    return (stride, pad) if pad else (stride,) if stride != 1 else ()


def _call(stride, pad):
    return f"Convolution({', '.join(map(str, ('W', 'b', *_extra(stride, pad))))})"


def _forward_check(student, reference, x, W, b, stride, pad):
    assert_close(student.Convolution(W, b, *_extra(stride, pad)).forward(x),
                 reference.Convolution(W, b, stride, pad).forward(x),
                 call=f"{_call(stride, pad)}.forward(x)", inputs={"x": x, "W": W, "b": b},
                 variants=conv_forward_variants(x, W, b, stride, pad))


def _backward_check(student, reference, x, W, b, dout, stride, pad, which=("dx", "dW", "db")):
    mine = student.Convolution(W, b, *_extra(stride, pad))
    ref = reference.Convolution(W, b, stride, pad)
    mine.forward(x)
    ref.forward(x)
    got = {"dx": mine.backward(dout)}
    expected = {"dx": ref.backward(dout)}
    for name in ("dW", "db"):
        got[name] = getattr(mine, name)
        expected[name] = getattr(ref, name)
    variants = conv_backward_variants(x, W, b, dout, stride, pad)
    layer = _call(stride, pad)
    calls = {"dx": f"{layer}.backward(dout)", "dW": f"{layer}.dW after backward(dout)",
             "db": f"{layer}.db after backward(dout)"}
    for name in which:
        assert_grad_close(got[name], expected[name], call=calls[name],
                          inputs={"x": x, "W": W, "b": b, "dout": dout}, variants=variants[name])


def _own_forward(student, x, W, b):
    """A student layer that has run forward(x), after checking forward's shape (the
    numerical gradient needs a dout of that shape), and a random dout for it."""
    layer = student.Convolution(W, b)
    oh, ow = x.shape[2] - W.shape[2] + 1, x.shape[3] - W.shape[3] + 1
    shape = (x.shape[0], W.shape[0], oh, ow)
    assert_shape(layer.forward(x), shape, call="Convolution(W, b).forward(x)")
    return layer, shape


@pytest.mark.points(2)
def test_book_example(student, reference):
    """the book's 4x4 input with its 3x3 filter and bias 3 gives [[18, 19], [9, 18]]"""
    _forward_check(student, reference, BOOK_X.reshape(1, 1, 4, 4), BOOK_W.reshape(1, 1, 3, 3),
                   np.array([3.0]), 1, 0)


@pytest.mark.points(3)
def test_forward_batch(student, reference, rng):
    """forward of a batch (2, 3, 5, 5) with 4 filters of 3x3 and a bias: shape (2, 4, 3, 3)"""
    x, W, b = _case(rng, (2, 3, 5, 5), 4, 3, 3)
    _forward_check(student, reference, x, W, b, 1, 0)


@pytest.mark.points(3)
def test_forward_stride_and_pad(student, reference, rng):
    """forward with stride=2 and pad=1 on (2, 2, 5, 5) with 3 filters of 3x3"""
    # 5, not 6: (6 + pad - 3) // 2 + 1 is right by chance, so padding counted once passed.
    x, W, b = _case(rng, (2, 2, 5, 5), 3, 3, 3)
    _forward_check(student, reference, x, W, b, 2, 1)


@pytest.mark.points(3)
def test_backward_dx(student, reference, rng):
    """backward(dout) returns dx equal to the reference's, shape of x"""
    x, W, b = _case(rng, (2, 2, 5, 5), 3, 3, 3)
    dout = rng.normal(size=(2, 3, 3, 3))
    _backward_check(student, reference, x, W, b, dout, 1, 0, which=("dx",))


@pytest.mark.points(3)
def test_backward_dW_db(student, reference, rng):
    """after backward(dout) the layer holds dW (FN, C, FH, FW) and db (FN,) equal to the reference's"""
    x, W, b = _case(rng, (2, 2, 5, 5), 3, 3, 3)
    dout = rng.normal(size=(2, 3, 3, 3))
    _backward_check(student, reference, x, W, b, dout, 1, 0, which=("dW", "db"))


@pytest.mark.points(3)
def test_backward_dx_matches_own_forward(student, reference, rng):
    """dx from backward is the numerical gradient of your own forward, which depends on x as a convolution does"""
    x, W, b = _case(rng, (2, 2, 4, 4), 2, 3, 3)
    layer, shape = _own_forward(student, x, W, b)
    dout = rng.normal(size=shape)
    numerical = numerical_grad_of(student.Convolution(W, b).forward, x, dout)
    ref = reference.Convolution(W, b, 1, 0)
    ref.forward(x)
    assert_own_grad_close(layer.backward(dout), numerical, ref.backward(dout),
                          call="Convolution(W, b).backward(dout)", dout=dout,
                          inputs={"x": x, "dout": dout}, threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.points(3)
def test_backward_dW_db_match_own_forward(student, reference, rng):
    """dW and db after backward are the numerical gradients of your own forward in W and b, on which it depends as a convolution does"""
    x, W, b = _case(rng, (2, 2, 4, 4), 2, 3, 3)
    layer, shape = _own_forward(student, x, W, b)
    dout = rng.normal(size=shape)
    layer.backward(dout)
    numerical = {
        "dW": numerical_grad_of(lambda w: student.Convolution(w, b).forward(x), W, dout),
        "db": numerical_grad_of(lambda v: student.Convolution(W, v).forward(x), b, dout),
    }
    ref = reference.Convolution(W, b, 1, 0)
    ref.forward(x)
    ref.backward(dout)
    for name, expected in numerical.items():
        assert_own_grad_close(getattr(layer, name), expected, getattr(ref, name),
                              call=f"Convolution(W, b).{name} after backward(dout)",
                              dout=dout, inputs={"x": x, "dout": dout},
                              threshold=tol.NUMERICAL_GRAD_REL_TOL)


@pytest.mark.points(3)
def test_backward_stride_and_pad(student, reference, rng):
    """backward with stride=2 and pad=1: dx, dW and db equal the reference's"""
    x, W, b = _case(rng, (2, 2, 5, 5), 3, 3, 3)   # 5: see test_forward_stride_and_pad
    dout = rng.normal(size=(2, 3, 3, 3))
    _backward_check(student, reference, x, W, b, dout, 2, 1)


@pytest.mark.points(2)
def test_state_across_calls(student, reference, rng):
    """one layer, two forwards with batch sizes 2 then 3: both right, and backward uses the last"""
    x, W, b = _case(rng, (2, 2, 5, 5), 3, 3, 3)
    x3 = rng.normal(size=(3, 2, 5, 5))
    mine, ref = student.Convolution(W, b), reference.Convolution(W, b, 1, 0)
    for batch in (x, x3):
        assert_close(mine.forward(batch), ref.forward(batch), call="Convolution(W, b).forward(x)",
                     inputs={"x": batch})
    dout = rng.normal(size=(3, 3, 3, 3))
    assert_grad_close(mine.backward(dout), ref.backward(dout),
                      call="Convolution(W, b).backward(dout) after the second forward",
                      inputs={"x": x3, "dout": dout})

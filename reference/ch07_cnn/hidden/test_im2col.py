"""im2col(input_data, filter_h, filter_w, stride=1, pad=0): (N, C, H, W) -> (N*OH*OW, C*FH*FW)
(section 7.4.3). A row per output position in (n, oh, ow) order, a column per filter tap in
(c, fh, fw) order, so that col @ W.reshape(FN, -1).T is the convolution."""

import pytest

from autograder.grading.checks import assert_close, assert_shape
from reference.ch07_cnn.hints import im2col_variants

pytestmark = pytest.mark.item("im2col")


def optional(stride, pad):
    """stride and pad as a call needs them: only those that differ from the book's defaults
    (stride=1, pad=0), so an im2col written without `pad` loses only the padded cases.
    Positional, in the book's order: students rename the parameters."""
    return (stride, pad) if pad else (stride,) if stride != 1 else ()


def _check(student, reference, x, filter_h, filter_w, stride, pad):
    extra = optional(stride, pad)
    call = f"im2col(x, {', '.join(map(str, (filter_h, filter_w, *extra)))})"
    assert_close(student.im2col(x, filter_h, filter_w, *extra),
                 reference.im2col(x, filter_h, filter_w, stride, pad),
                 call=call, inputs={"x": x},
                 variants=im2col_variants(x, filter_h, filter_w, stride, pad))


@pytest.mark.points(2)
def test_book_shapes(student, rng):
    """im2col of (1, 3, 7, 7) and (10, 3, 7, 7) with a 5x5 filter has shapes (9, 75) and (90, 75)"""
    for n, rows in ((1, 9), (10, 90)):
        x = rng.random((n, 3, 7, 7))
        assert_shape(student.im2col(x, 5, 5), (rows, 75), call="im2col(x, 5, 5)")


@pytest.mark.points(3)
def test_values(student, reference, rng):
    """each row of im2col is one 3x3 window, rows in (n, oh, ow) order, columns in (c, fh, fw) order"""
    _check(student, reference, rng.normal(size=(2, 3, 5, 5)), 3, 3, 1, 0)


@pytest.mark.points(2)
def test_stride(student, reference, rng):
    """with stride=2 the windows start every second pixel"""
    _check(student, reference, rng.normal(size=(2, 2, 7, 7)), 3, 3, 2, 0)


@pytest.mark.points(2)
def test_pad(student, reference, rng):
    """with pad=1 the image gets a border of zeros before the windows are taken"""
    _check(student, reference, rng.normal(size=(2, 2, 5, 5)), 3, 3, 1, 1)


@pytest.mark.points(1)
def test_non_square_filter_stride_and_pad(student, reference, rng):
    """a 2x3 filter with stride=2 and pad=1 on a 5x6 image: heights and widths kept apart"""
    _check(student, reference, rng.normal(size=(2, 2, 5, 6)), 2, 3, 2, 1)

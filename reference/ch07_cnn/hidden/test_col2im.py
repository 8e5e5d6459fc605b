"""col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0): im2col's way back
(section 7.4.3). Every row goes back onto its window, and where windows overlap the values
add up: that is what makes it the backward of im2col."""

import numpy as np
import pytest

from autograder.grading.checks import assert_close
from reference.ch07_cnn.hints import col2im_variants

pytestmark = pytest.mark.item("col2im")


def _rows(shape, filter_h, filter_w, stride, pad):
    n, c, h, w = shape
    oh = (h + 2 * pad - filter_h) // stride + 1
    ow = (w + 2 * pad - filter_w) // stride + 1
    return n * oh * ow, c * filter_h * filter_w


def _check(student, reference, col, shape, filter_h, filter_w, stride, pad, what="col"):
    # Only the optional arguments the case needs (see test_im2col.optional).
    extra = (stride, pad) if pad else (stride,) if stride != 1 else ()
    call = f"col2im({what}, {', '.join(map(str, (shape, filter_h, filter_w, *extra)))})"
    assert_close(student.col2im(col, shape, filter_h, filter_w, *extra),
                 reference.col2im(col, shape, filter_h, filter_w, stride, pad),
                 call=call, inputs={what: col},
                 variants=col2im_variants(col, shape, filter_h, filter_w, stride, pad))


def _random_col(rng, shape, filter_h, filter_w, stride, pad):
    return rng.normal(size=_rows(shape, filter_h, filter_w, stride, pad))


@pytest.mark.points(2)
def test_non_overlapping_windows_give_the_image_back(student, reference, rng):
    """2x2 windows with stride 2 do not overlap, so col2im(im2col(x)) is x itself"""
    shape = (2, 2, 4, 4)
    col = reference.im2col(rng.normal(size=shape), 2, 2, 2, 0)
    _check(student, reference, col, shape, 2, 2, 2, 0, what="im2col(x, 2, 2, 2, 0)")


@pytest.mark.points(3)
def test_overlaps_are_summed(student, reference, rng):
    """3x3 windows with stride 1 overlap: every pixel gets the sum of its windows' values"""
    shape = (2, 2, 5, 5)
    _check(student, reference, _random_col(rng, shape, 3, 3, 1, 0), shape, 3, 3, 1, 0)


@pytest.mark.points(2)
def test_ones_count_the_windows(student, reference):
    """col2im of all ones counts the windows covering each pixel (1 at a corner, 9 in the middle)"""
    # Hand-worked for a 5x5 image and 3x3 windows: the counts are the outer product of
    # [1, 2, 3, 2, 1] with itself.
    shape = (1, 1, 5, 5)
    _check(student, reference, np.ones(_rows(shape, 3, 3, 1, 0)), shape, 3, 3, 1, 0,
           what="np.ones((9, 9))")


@pytest.mark.points(1)
def test_stride(student, reference, rng):
    """with stride=2 each row goes back to a window starting every second pixel"""
    shape = (2, 2, 7, 7)
    _check(student, reference, _random_col(rng, shape, 3, 3, 2, 0), shape, 3, 3, 2, 0)


@pytest.mark.points(2)
def test_pad(student, reference, rng):
    """with pad=1 what falls on the zero border is dropped: the result has the input's shape"""
    shape = (2, 2, 5, 5)
    _check(student, reference, _random_col(rng, shape, 3, 3, 1, 1), shape, 3, 3, 1, 1)

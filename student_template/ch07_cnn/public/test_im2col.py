"""Public checks of im2col and col2im. im2col's shapes follow the output-size formula
(conv_output_size, given in the notebook); col2im is checked on its own, by what does not
depend on the order of im2col's rows and columns (how many windows cover each pixel, and
that without overlap every value lands once), so a slip in im2col never fails col2im."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact


def _extra(stride, pad):
    """stride and pad as a case needs them: only those that differ from the book's defaults
    (stride=1, pad=0), so code written without `pad` loses only the padded cases."""
    return (stride, pad) if pad else (stride,) if stride != 1 else ()


def _args(*args) -> str:
    return ", ".join(map(str, args))


def _covering(size, filter_size, stride, pad):
    """How many windows cover each position along one axis of length `size`."""
    out = (size + 2 * pad - filter_size) // stride + 1
    count = np.zeros(size)
    for start in range(0, out * stride, stride):
        lo, hi = max(start - pad, 0), min(start - pad + filter_size, size)
        count[lo:hi] += 1
    return count


@pytest.mark.item("im2col")
def test_im2col_shape_follows_the_output_size(student, rng):
    """im2col 의 모양은 (N·OH·OW, C·FH·FW) 이고, OH, OW 는 출력 크기 식 (7.2.4절) 을 따른다
    im2col has shape (N·OH·OW, C·FH·FW), with OH and OW from the output-size formula (7.2.4)"""
    x = rng.normal(size=(2, 3, 7, 6))
    for fh, fw, stride, pad in ((3, 3, 1, 0), (3, 2, 2, 1)):
        oh, ow = (7 + 2 * pad - fh) // stride + 1, (6 + 2 * pad - fw) // stride + 1
        extra = _extra(stride, pad)
        expect.shape(student.im2col(x, fh, fw, *extra), (2 * oh * ow, 3 * fh * fw),
                     f"im2col({_args('x', fh, fw, *extra)})", "hint.output_size")


@pytest.mark.item("im2col")
def test_im2col_of_a_one_by_one_filter(student, rng):
    """1×1 필터의 im2col 은 픽셀마다 한 행, 채널마다 한 열이다
    with a 1×1 filter, im2col has one row per pixel and one column per channel"""
    x = rng.normal(size=(2, 3, 4, 5))
    expect.close(student.im2col(x, 1, 1), x.transpose(0, 2, 3, 1).reshape(-1, 3),
                 Fact("행: 픽셀 (n, h, w), 열: 채널", "rows: pixels (n, h, w), columns: channels"),
                 "im2col(x, 1, 1)", "hint.window_order")


@pytest.mark.item("col2im")
def test_col2im_of_ones_counts_the_windows(student):
    """모든 값이 1 인 col 의 col2im 은 픽셀마다 그 픽셀을 덮는 창의 수다 (겹치면 더하고, 패딩은 버린다)
    col2im of all ones gives each pixel the number of windows covering it (overlaps add up, padding is dropped)"""
    shape = (2, 2, 5, 6)
    for fh, stride, pad in ((3, 1, 0), (2, 2, 0), (3, 2, 1), (3, 1, 1)):
        oh, ow = (5 + 2 * pad - fh) // stride + 1, (6 + 2 * pad - fh) // stride + 1
        ones = np.ones((2 * oh * ow, 2 * fh * fh))
        counts = np.outer(_covering(5, fh, stride, pad), _covering(6, fh, stride, pad))
        extra = _extra(stride, pad)
        call = f"col2im({_args('np.ones(...)', shape, fh, fh, *extra)})"
        back = expect.shape(student.col2im(ones, shape, fh, fh, *extra), shape, call)
        expect.close(back, np.broadcast_to(counts, shape),
                     Fact("픽셀마다 덮는 창의 수", "the number of windows covering each pixel"),
                     call, "hint.sum_overlaps")


@pytest.mark.item("col2im")
def test_col2im_without_overlap_places_every_value_once(student, rng):
    """창이 겹치지 않으면 (stride = 필터 크기) col 의 모든 값이 이미지에 한 번씩 놓인다
    without overlapping windows (stride = filter size), every value of col lands in the image once"""
    shape = (2, 3, 4, 6)
    col = rng.normal(size=(2 * 2 * 3, 3 * 2 * 2))
    back = expect.shape(student.col2im(col, shape, 2, 2, 2), shape, "col2im(col, x.shape, 2, 2, 2)")
    expect.close(np.sort(back.ravel()), np.sort(col.ravel()),
                 Fact("col 의 값이 한 번씩 모두 놓임", "each value of col placed exactly once"),
                 "col2im(col, x.shape, 2, 2, 2)", "hint.window_order")

"""Public checks of im2col and col2im: against each other (col2im is im2col's adjoint),
and their shapes against the output-size formula (conv_output_size, given in the notebook)."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

@pytest.mark.item("im2col")
def test_im2col_shape_follows_the_output_size(student, rng):
    """im2col 의 모양은 (N·OH·OW, C·FH·FW) 이고, OH, OW 는 출력 크기 식 (7.2.4절) 을 따른다
    im2col has shape (N·OH·OW, C·FH·FW), with OH and OW from the output-size formula (7.2.4)"""
    x = rng.normal(size=(2, 3, 7, 6))
    for fh, fw, stride, pad in ((3, 3, 1, 0), (3, 2, 2, 1)):
        oh, ow = (7 + 2 * pad - fh) // stride + 1, (6 + 2 * pad - fw) // stride + 1
        expect.shape(student.im2col(x, fh, fw, stride, pad), (2 * oh * ow, 3 * fh * fw),
                     f"im2col(x, {fh}, {fw}, {stride}, {pad})", "hint.output_size")


@pytest.mark.item("im2col")
def test_im2col_of_a_one_by_one_filter(student, rng):
    """1×1 필터의 im2col 은 픽셀마다 한 행, 채널마다 한 열이다
    with a 1×1 filter, im2col has one row per pixel and one column per channel"""
    x = rng.normal(size=(2, 3, 4, 5))
    expect.close(student.im2col(x, 1, 1), x.transpose(0, 2, 3, 1).reshape(-1, 3),
                 Fact("행: 픽셀 (n, h, w), 열: 채널", "rows: pixels (n, h, w), columns: channels"),
                 "im2col(x, 1, 1)", "hint.window_order")


@pytest.mark.item("col2im")
def test_col2im_is_the_adjoint_of_im2col(student, rng):
    """모든 x, c 에 대해 sum(im2col(x) * c) = sum(x * col2im(c)) 이다 (겹치는 창 포함)
    sum(im2col(x) * c) = sum(x * col2im(c)) for every x and c, overlapping windows included"""
    for fh, stride, pad in ((3, 1, 1), (2, 2, 0), (3, 2, 1)):
        x = rng.normal(size=(2, 2, 5, 5))
        cols = expect.numbers(student.im2col(x, fh, fh, stride, pad), f"im2col(x, {fh}, {fh}, {stride}, {pad})")
        c = rng.normal(size=cols.shape)
        back = expect.shape(student.col2im(c, x.shape, fh, fh, stride, pad), x.shape,
                            f"col2im(c, x.shape, {fh}, {fh}, {stride}, {pad})")
        expect.close(np.sum(x * back), np.sum(cols * c),
                     Fact("sum(im2col(x)·c) = sum(x·col2im(c))", "sum(im2col(x)·c) = sum(x·col2im(c))"),
                     f"col2im(c, x.shape, {fh}, {fh}, {stride}, {pad})", "hint.sum_overlaps")


@pytest.mark.item("col2im")
def test_col2im_undoes_im2col_without_overlap(student, rng):
    """창이 겹치지 않으면 (stride = 필터 크기) col2im(im2col(x)) = x 이다
    without overlapping windows (stride = filter size), col2im(im2col(x)) = x"""
    x = rng.normal(size=(2, 3, 4, 6))
    cols = student.im2col(x, 2, 2, 2)
    expect.close(student.col2im(cols, x.shape, 2, 2, 2), x, Fact("원래 x 로 돌아옴", "x comes back"),
                 "col2im(im2col(x, 2, 2, 2), x.shape, 2, 2, 2)", "hint.window_order")

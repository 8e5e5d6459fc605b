"""Chapter 7 im2col, col2im, conv_output_size: hand-worked, torch unfold/fold, adjointness."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.ch07_cnn.im2col import col2im, conv_output_size, im2col

# (N, C, H, W, FH, FW, stride, pad): square and not, strided, padded, uneven fits.
CONFIGS = [
    (2, 3, 5, 5, 3, 3, 1, 0),
    (2, 2, 7, 6, 3, 2, 2, 1),
    (1, 3, 6, 7, 2, 3, 3, 2),
    (3, 1, 5, 5, 5, 5, 1, 0),
]


@pytest.mark.parametrize("size, filt, stride, pad, expected", [
    (28, 5, 1, 0, 24),   # the book's MNIST conv
    (32, 3, 1, 1, 32),   # 'same' padding
    (7, 3, 2, 1, 4),
    (5, 2, 2, 0, 2),     # the last column fits no window and is dropped
    (4, 4, 1, 0, 1),
    (24, 2, 2, 0, 12),   # 2x2 pooling
])
def test_conv_output_size_hand_worked(size, filt, stride, pad, expected):
    assert conv_output_size(size, filt, stride, pad) == expected


def test_im2col_tiny_hand_worked():
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    expected = [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]
    np.testing.assert_array_equal(im2col(x, 2, 2), expected)


def test_im2col_columns_are_channel_major():
    # One window covering two channels: columns run (c, fh, fw).
    x = np.arange(1.0, 9.0).reshape(1, 2, 2, 2)
    np.testing.assert_array_equal(im2col(x, 2, 2), [[1, 2, 3, 4, 5, 6, 7, 8]])


def test_im2col_rows_are_sample_major_with_padding():
    # Two samples, pad 1, 2x2 windows at stride 2: each window holds one real pixel.
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]]], [[[5.0, 6.0], [7.0, 8.0]]]])
    expected = [[0, 0, 0, 1], [0, 0, 2, 0], [0, 3, 0, 0], [4, 0, 0, 0],
                [0, 0, 0, 5], [0, 0, 6, 0], [0, 7, 0, 0], [8, 0, 0, 0]]
    np.testing.assert_array_equal(im2col(x, 2, 2, stride=2, pad=1), expected)


def test_col2im_counts_window_coverage():
    # Summing ones back shows how many 2x2 windows cover each pixel of a 3x3 image.
    col = np.ones((4, 4))
    np.testing.assert_array_equal(col2im(col, (1, 1, 3, 3), 2, 2)[0, 0],
                                  [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@pytest.mark.torch
@pytest.mark.parametrize("cfg", CONFIGS)
def test_im2col_matches_torch_unfold(cfg, rng):
    n, c, h, w, fh, fw, s, p = cfg
    x = rng.standard_normal((n, c, h, w))
    col = im2col(x, fh, fw, s, p)
    # unfold gives (N, C*FH*FW, L) with the same (c, fh, fw) order; our rows are (n, l).
    unf = F.unfold(torch.from_numpy(x), (fh, fw), stride=s, padding=p)
    expected = unf.permute(0, 2, 1).reshape(-1, c * fh * fw).numpy()
    assert col.shape == (n * conv_output_size(h, fh, s, p) * conv_output_size(w, fw, s, p),
                         c * fh * fw)
    np.testing.assert_array_equal(col, expected)


@pytest.mark.torch
@pytest.mark.parametrize("cfg", CONFIGS)
def test_col2im_matches_torch_fold(cfg, rng):
    n, c, h, w, fh, fw, s, p = cfg
    oh, ow = conv_output_size(h, fh, s, p), conv_output_size(w, fw, s, p)
    col = rng.standard_normal((n * oh * ow, c * fh * fw))
    cols_t = torch.from_numpy(col.reshape(n, oh * ow, -1)).permute(0, 2, 1)
    expected = F.fold(cols_t, (h, w), (fh, fw), stride=s, padding=p).numpy()
    np.testing.assert_allclose(col2im(col, (n, c, h, w), fh, fw, s, p), expected,
                               rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("cfg", CONFIGS)
def test_col2im_is_adjoint_of_im2col(cfg, rng):
    # <im2col(x), c> == <x, col2im(c)> for all x, c: what backprop through im2col needs.
    n, c, h, w, fh, fw, s, p = cfg
    x = rng.standard_normal((n, c, h, w))
    col = rng.standard_normal(im2col(x, fh, fw, s, p).shape)
    lhs = np.sum(im2col(x, fh, fw, s, p) * col)
    rhs = np.sum(x * col2im(col, x.shape, fh, fw, s, p))
    assert lhs == pytest.approx(rhs, rel=1e-12, abs=1e-12)


def test_col2im_independent_of_col_memory_order(rng):
    # col2im must not depend on the memory order im2col happens to return.
    x = rng.standard_normal((2, 2, 5, 5))
    col = im2col(x, 3, 3, 1, 1)
    a = col2im(col, x.shape, 3, 3, 1, 1)
    b = col2im(np.ascontiguousarray(col), x.shape, 3, 3, 1, 1)
    np.testing.assert_array_equal(a, b)

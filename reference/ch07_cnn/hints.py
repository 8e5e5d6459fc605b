"""Chapter 7's classic misses, computed from the reference on the test's own inputs.

Each function returns {hint name: the value that miss produces}; the sentences are this
folder's messages.toml (`hint.<name>`). See ch03's hints for the convention. Most misses
here are a wrong axis order somewhere in the book's reshape/transpose chain: the values
are all there, in the wrong places, so the variant is the right answer re-laid out the way
that slip lays it out.
"""

from __future__ import annotations

import numpy as np

from .conv import Convolution, Pooling
from .im2col import col2im, conv_output_size, im2col, window_view


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


# --- im2col / col2im ------------------------------------------------------------------

def im2col_variants(x, filter_h, filter_w, stride=1, pad=0) -> dict:
    x = _f64(x)
    win = window_view(x, filter_h, filter_w, stride, pad)        # (N, C, OH, OW, FH, FW)
    n, _, oh, ow = win.shape[:4]
    book = win.transpose(0, 1, 4, 5, 2, 3)                        # the book's (N, C, FH, FW, OH, OW)
    rows = n * oh * ow
    return {
        "im2col_no_transpose": book.reshape(rows, -1),
        "im2col_column_order": book.transpose(0, 4, 5, 2, 3, 1).reshape(rows, -1),
        "im2col_row_order": book.transpose(0, 5, 4, 1, 2, 3).reshape(rows, -1),
    }


def col2im_variants(col, input_shape, filter_h, filter_w, stride=1, pad=0) -> dict:
    col = _f64(col)
    n, c, h, w = input_shape
    oh = conv_output_size(h, filter_h, stride, pad)
    ow = conv_output_size(w, filter_w, stride, pad)
    taps = col.reshape(n, oh, ow, c, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    overwritten = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    for y in range(filter_h):
        for x in range(filter_w):
            overwritten[:, :, y:y + stride * oh:stride, x:x + stride * ow:stride] = taps[:, :, y, x]
    variants = {"col2im_overwrite": overwritten[:, :, pad:h + pad, pad:w + pad]}
    if pad:
        # The summed canvas before its rim is cut off: col2im of the padded image's shape.
        variants["col2im_no_crop"] = col2im(col, (n, c, h + 2 * pad, w + 2 * pad),
                                            filter_h, filter_w, stride, 0)
    return variants


# --- Convolution ----------------------------------------------------------------------

def _conv(W, b, stride, pad):
    return Convolution(_f64(W), _f64(b), stride, pad)


def conv_forward_variants(x, W, b, stride=1, pad=0) -> dict:
    x, W, b = _f64(x), _f64(W), _f64(b)
    right = _conv(W, b, stride, pad).forward(x)
    return {
        "conv_no_bias": _conv(W, np.zeros_like(b), stride, pad).forward(x),
        # The book's (N*OH*OW, FN) product reshaped straight to (N, FN, OH, OW).
        "conv_output_order": right.transpose(0, 2, 3, 1).reshape(right.shape),
        "conv_flipped": _conv(W[:, :, ::-1, ::-1].copy(), b, stride, pad).forward(x),
    }


def conv_backward_variants(x, W, b, dout, stride=1, pad=0) -> dict:
    """{"dx": {...}, "dW": {...}, "db": {...}}: the variants of each gradient."""
    x, W, b, dout = _f64(x), _f64(W), _f64(b), _f64(dout)
    fn, c, fh, fw = W.shape
    n, _, oh, ow = dout.shape
    col = im2col(x, fh, fw, stride, pad)
    rows = dout.transpose(0, 2, 3, 1).reshape(-1, fn)            # the book's (N*OH*OW, FN)
    # The book's backward with dout reshaped to (-1, FN) without transpose(0, 2, 3, 1) is
    # the right backward of dout re-laid-out this way:
    scrambled = dout.reshape(n, oh, ow, fn).transpose(0, 3, 1, 2)
    layer = _conv(W, b, stride, pad)
    layer.forward(x)
    dx_scrambled = layer.backward(scrambled)
    return {
        "dx": {"conv_dout_order": dx_scrambled},
        "dW": {"conv_dw_no_transpose": (col.T @ rows).reshape(fn, c, fh, fw),
               "conv_dout_order": layer.dW},
        "db": {"conv_db_axis": rows.sum(axis=1),
               "conv_db_4d": dout.sum(axis=0),
               "conv_dout_order": layer.db},
    }


# --- Pooling --------------------------------------------------------------------------

def _route(x_shape, dout, taps, pool_h, pool_w, stride, pad) -> np.ndarray:
    """dx when each window sends dout * taps[..., k] to its tap k (taps: (N, C, OH, OW, PH*PW))."""
    n, c, h, w = x_shape
    oh, ow = dout.shape[2:]
    dx = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    for k in range(pool_h * pool_w):
        y, x = divmod(k, pool_w)
        dx[:, :, y:y + stride * oh:stride, x:x + stride * ow:stride] += dout * taps[..., k]
    return dx[:, :, pad:h + pad, pad:w + pad]


def pool_forward_variants(x, pool_h, pool_w, stride, pad=0) -> dict:
    x = _f64(x)
    right = Pooling(pool_h, pool_w, stride, pad).forward(x)
    # The book pads with zeros, so a student's average pooling averages zeros in.
    mean = window_view(x, pool_h, pool_w, stride, pad).mean(axis=(4, 5))
    return {
        "pool_mean": mean,
        # The book's (N*OH*OW*C,) maxima reshaped straight to (N, C, OH, OW).
        "pool_channel_order": right.transpose(0, 2, 3, 1).reshape(right.shape),
    }


def pool_backward_variants(x, pool_h, pool_w, stride, dout, pad=0) -> dict:
    x, dout = _f64(x), _f64(dout)
    n, c, oh, ow = dout.shape
    size = pool_h * pool_w
    first = np.zeros((n, c, oh, ow, size))
    first[..., 0] = 1.0
    layer = Pooling(pool_h, pool_w, stride, pad)
    layer.forward(x)
    # dout flattened in (N, C, OH, OW) order onto rows ordered (N, OH, OW, C).
    scrambled = dout.reshape(n, oh, ow, c).transpose(0, 3, 1, 2)
    return {
        "pool_bwd_first": _route(x.shape, dout, first, pool_h, pool_w, stride, pad),
        "pool_bwd_mean": _route(x.shape, dout, np.full((n, c, oh, ow, size), 1.0 / size),
                                pool_h, pool_w, stride, pad),
        "pool_dout_order": layer.backward(scrambled),
    }


# --- SimpleConvNet --------------------------------------------------------------------

def convnet_gradient_variants(got, expected: dict, key: str) -> dict:
    """The right gradient of another parameter with the shape the student returned for `key`:
    the gradients were filed under the wrong names (W2 <- Affine2's dW, ...)."""
    shape = np.shape(got)
    for other, value in expected.items():
        if other != key and np.shape(value) == shape:
            return {"convnet_grad_keys": value}
    return {}

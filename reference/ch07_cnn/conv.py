"""Chapter 7 Convolution and max Pooling layers (NCHW), built on im2col."""

import numpy as np

from .im2col import col2im, conv_output_size, im2col, window_view


class Convolution:
    """Cross-correlation of x (N, C, H, W) with W (FN, C, FH, FW) plus bias b (FN,)."""

    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        self.x_shape = None
        self.col = None
        self.col_W = None
        self.dW = None
        self.db = None

    def forward(self, x):
        fn, _, fh, fw = self.W.shape
        n = x.shape[0]
        self.x_shape = x.shape
        self.col = im2col(x, fh, fw, self.stride, self.pad)
        self.col_W = self.W.reshape(fn, -1).T
        oh = conv_output_size(x.shape[2], fh, self.stride, self.pad)
        ow = conv_output_size(x.shape[3], fw, self.stride, self.pad)
        # Computed as (FN, N*OH*OW) = W @ col.T: both operands are then contiguous for BLAS,
        # and each (n, fn) output plane is contiguous for the next layer.
        out_t = self.col_W.T @ self.col.T
        out_t += self.b[:, None]
        return out_t.reshape(fn, n, oh, ow).transpose(1, 0, 2, 3)

    def backward(self, dout):
        fn, c, fh, fw = self.W.shape
        # (FN, N*OH*OW); a free view when dout has forward's layout, else one copy.
        dout_t = dout.transpose(1, 0, 2, 3).reshape(fn, -1)
        self.db = dout_t.sum(axis=1)
        self.dW = (dout_t @ self.col).reshape(fn, c, fh, fw)
        # dcol = dout @ W, built transposed so col2im reads it in contiguous runs.
        dcol = (self.col_W @ dout_t).T
        return col2im(dcol, self.x_shape, fh, fw, self.stride, self.pad)


class Pooling:
    """Max pooling over pool_h x pool_w windows.

    Defaults to stride 2 (our spec); the book's layer defaults to stride 1, so callers that
    copy the book pass stride explicitly. Padding is -inf, so a padded cell never wins the
    max (as torch's max_pool2d); the book pads with zeros via im2col, which differs only
    when a window touching the padding is all negative. Ties go to the first maximum in
    row-major window order.
    """

    def __init__(self, pool_h, pool_w, stride=2, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x_shape = None
        self.arg_max = None

    def forward(self, x):
        win = window_view(x, self.pool_h, self.pool_w, self.stride, self.pad, fill=-np.inf)
        self.x_shape = x.shape
        # A running max over the taps, each a strided (N, C, OH, OW) view: no window copy.
        # Strict '>' keeps the first maximum, so ties resolve in row-major tap order.
        # arg_max is kept with arithmetic rather than np.where/copyto(where=), which are
        # several times slower on these sizes; int16 (a tap index) halves the memory traffic.
        out = win[..., 0, 0].copy()
        self.arg_max = np.zeros(out.shape, dtype=np.int16)
        for k in range(1, self.pool_h * self.pool_w):
            tap = win[..., k // self.pool_w, k % self.pool_w]
            better = tap > out
            np.maximum(out, tap, out=out)
            self.arg_max *= ~better
            self.arg_max += better * np.int16(k)
        return out

    def backward(self, dout):
        n, c, h, w = self.x_shape
        ph, pw, s, pad = self.pool_h, self.pool_w, self.stride, self.pad
        oh, ow = dout.shape[2:]
        dx = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=dout.dtype)
        # One pass per window tap: route dout to the inputs where that tap was the argmax.
        for k in range(ph * pw):
            y, x = divmod(k, pw)
            dx[:, :, y:y + s * oh:s, x:x + s * ow:s] += dout * (self.arg_max == k)
        return dx[:, :, pad:h + pad, pad:w + pad]

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
        n, _, h, w = x.shape
        oh = conv_output_size(h, fh, self.stride, self.pad)
        ow = conv_output_size(w, fw, self.stride, self.pad)
        self.x_shape = x.shape
        self.col = im2col(x, fh, fw, self.stride, self.pad)
        self.col_W = self.W.reshape(fn, -1).T
        out = self.col @ self.col_W
        out += self.b
        return out.reshape(n, oh, ow, fn).transpose(0, 3, 1, 2)

    def backward(self, dout):
        fn, c, fh, fw = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, fn)
        self.db = dout.sum(axis=0)
        self.dW = (self.col.T @ dout).T.reshape(fn, c, fh, fw)
        dcol = dout @ self.col_W.T
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
        n, c = x.shape[:2]
        win = window_view(x, self.pool_h, self.pool_w, self.stride, self.pad, fill=-np.inf)
        oh, ow = win.shape[2:4]
        flat = win.reshape(n, c, oh, ow, self.pool_h * self.pool_w)
        self.x_shape = x.shape
        self.arg_max = flat.argmax(axis=-1)
        return np.take_along_axis(flat, self.arg_max[..., None], axis=-1)[..., 0]

    def backward(self, dout):
        n, c, h, w = self.x_shape
        ph, pw, s, pad = self.pool_h, self.pool_w, self.stride, self.pad
        oh, ow = dout.shape[2:]
        dx = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=dout.dtype)
        # One pass per window tap: route dout to the inputs where that tap was the argmax.
        for k in range(ph * pw):
            y, x = divmod(k, pw)
            dx[:, :, y:y + s * oh:s, x:x + s * ow:s] += np.where(self.arg_max == k, dout, 0.0)
        return dx[:, :, pad:h + pad, pad:w + pad]

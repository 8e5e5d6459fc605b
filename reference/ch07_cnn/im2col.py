"""Chapter 7 im2col / col2im: unroll convolution windows into matrix rows and back.

Layout (the book's): a row per output position, ordered (n, oh, ow); a column per filter
tap, ordered (c, fh, fw). So `col @ W.reshape(FN, -1).T` is the convolution.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """Output length along one axis; windows that would run past the padded edge are dropped."""
    return (input_size + 2 * pad - filter_size) // stride + 1


def window_view(x, filter_h, filter_w, stride=1, pad=0, fill=0.0):
    """Read-only view (N, C, OH, OW, FH, FW) of every window of x, with no copy of the windows.

    Only the padding (if any) is copied. `fill` is the pad value: 0 for convolution,
    -inf for max pooling.
    """
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    windows = sliding_window_view(x, (filter_h, filter_w), axis=(2, 3))
    return windows[:, :, ::stride, ::stride]


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """(N, C, H, W) -> (N*OH*OW, C*FH*FW), the book's shape and element order.

    The result is the transpose of a C-contiguous (C*FH*FW, N*OH*OW) array (Fortran
    order). Values are identical to the book's; the memory order is what makes this fast:
    the gather copies whole output rows (contiguous runs of OW), where the book's order
    would scatter every element, and BLAS takes either order without copying.
    """
    n, c = input_data.shape[:2]
    win = window_view(input_data, filter_h, filter_w, stride, pad)
    oh, ow = win.shape[2:4]
    cols_t = np.ascontiguousarray(win.transpose(1, 4, 5, 0, 2, 3))
    return cols_t.reshape(c * filter_h * filter_w, n * oh * ow).T


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """Adjoint of im2col: scatter each row back onto its window, summing where windows overlap.

    Loops only over the FH*FW filter taps; each iteration adds one strided (N, C, OH, OW)
    slab, so the work per iteration is fully vectorised. Fastest when col is in the order
    im2col returns (Fortran), since each slab is then read in contiguous runs.
    """
    n, c, h, w = input_shape
    oh = conv_output_size(h, filter_h, stride, pad)
    ow = conv_output_size(w, filter_w, stride, pad)
    taps = col.reshape(n, oh, ow, c, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    # Accumulate on the padded canvas; the rim is cut off at the end, since gradient that
    # lands in the padding belongs to no input pixel.
    img = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=col.dtype)
    for y in range(filter_h):
        y_end = y + stride * oh
        for x in range(filter_w):
            img[:, :, y:y_end:stride, x:x + stride * ow:stride] += taps[:, :, y, x]
    return img[:, :, pad:h + pad, pad:w + pad]

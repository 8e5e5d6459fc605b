"""Chapter 7 Convolution and Pooling: numerical gradients, hand-worked pooling, torch oracle."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.ch07_cnn.conv import Convolution, Pooling
from tests.reference.gradcheck import KINK_TOL, SMOOTH_TOL, numeric_grad_of_output, rel_error

# (N, C, H, W, FN, FH, FW, stride, pad)
CONV_CONFIGS = [
    (2, 3, 5, 5, 4, 3, 3, 1, 0),
    (2, 2, 7, 6, 3, 3, 2, 2, 1),
    (1, 2, 6, 7, 2, 2, 3, 3, 2),
]
# (N, C, H, W, PH, PW, stride, pad); torch requires pad <= kernel/2.
POOL_CONFIGS = [
    (2, 3, 6, 6, 2, 2, 2, 0),
    (2, 2, 7, 5, 3, 2, 2, 1),
    (1, 2, 6, 6, 3, 3, 1, 1),
]


def distinct_values(rng, shape):
    """Values at least 0.05 apart in random order: no max-pool ties, and a finite-difference
    step of 1e-5 can never change which element wins a window."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.05 - 1.0


def make_conv(rng, cfg):
    n, c, h, w, fn, fh, fw, s, p = cfg
    conv = Convolution(rng.standard_normal((fn, c, fh, fw)), rng.standard_normal(fn), s, p)
    return conv, rng.standard_normal((n, c, h, w))


@pytest.mark.parametrize("cfg", CONV_CONFIGS)
def test_convolution_backward_matches_numeric(cfg, rng):
    conv, x = make_conv(rng, cfg)
    out = conv.forward(x)
    dout = rng.standard_normal(out.shape)
    dx = conv.backward(dout)

    def fwd():
        return conv.forward(x)

    # Convolution is linear in each argument, so a central difference has no truncation
    # error at any step; a large h shrinks the round-off (~1e-16*|f|/h), which at the
    # default 1e-5 can reach 1e-7 relative on small entries.
    h = 0.5
    assert rel_error(dx, numeric_grad_of_output(fwd, x, dout, h)) <= SMOOTH_TOL
    assert rel_error(conv.dW, numeric_grad_of_output(fwd, conv.W, dout, h)) <= SMOOTH_TOL
    assert rel_error(conv.db, numeric_grad_of_output(fwd, conv.b, dout, h)) <= SMOOTH_TOL


@pytest.mark.parametrize("cfg", POOL_CONFIGS)
def test_pooling_backward_matches_numeric(cfg, rng):
    n, c, h, w, ph, pw, s, p = cfg
    pool = Pooling(ph, pw, s, p)
    x = distinct_values(rng, (n, c, h, w))
    dout = rng.standard_normal(pool.forward(x).shape)
    dx = pool.backward(dout)
    num = numeric_grad_of_output(lambda: pool.forward(x), x, dout)
    # Max is piecewise linear; inputs keep every window away from its kink (a tie).
    assert rel_error(dx, num) <= KINK_TOL


def test_pooling_hand_worked():
    x = np.array([[[[1.0, 2.0, 0.0, 1.0],
                    [4.0, 3.0, 5.0, 1.0],
                    [0.0, 0.0, 2.0, 2.0],
                    [-1.0, 1.0, 0.0, 3.0]]]])
    pool = Pooling(2, 2)  # our spec's default stride is 2
    assert pool.stride == 2
    np.testing.assert_array_equal(pool.forward(x)[0, 0], [[4, 5], [1, 3]])
    dx = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    expected = [[0, 0, 0, 0], [10, 0, 20, 0], [0, 0, 0, 0], [0, 30, 0, 40]]
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_pooling_ties_go_to_first_element_and_overlaps_accumulate():
    # Overlapping windows (stride 1) that share their max pixel all route dout to it, so it
    # accumulates; an all-equal window (a tie) sends dout to its first element, row-major.
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0
    pool = Pooling(2, 2, stride=1)
    np.testing.assert_array_equal(pool.forward(x)[0, 0], [[1, 1], [1, 1]])
    dx = pool.backward(np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(dx[0, 0], [[0, 0, 0], [0, 4, 0], [0, 0, 0]])
    flat = Pooling(2, 2, stride=2)
    flat.forward(np.zeros((1, 1, 2, 2)))
    np.testing.assert_array_equal(flat.backward(np.ones((1, 1, 1, 1)))[0, 0], [[1, 0], [0, 0]])


def test_pooling_padding_never_wins():
    # -inf padding: an all-negative window at the border still returns a real input.
    x = -np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    out = Pooling(2, 2, stride=2, pad=1).forward(x)
    np.testing.assert_array_equal(out[0, 0], [[-1, -2], [-3, -4]])


@pytest.mark.torch
@pytest.mark.parametrize("cfg", CONV_CONFIGS + [(3, 4, 9, 9, 5, 3, 3, 1, 1)])
def test_convolution_matches_torch(cfg, rng):
    n, c, h, w, fn, fh, fw, s, p = cfg
    conv, x = make_conv(rng, cfg)
    out = conv.forward(x)
    dout = rng.standard_normal(out.shape)
    dx = conv.backward(dout)
    tx = torch.tensor(x, requires_grad=True)
    tW = torch.tensor(conv.W, requires_grad=True)
    tb = torch.tensor(conv.b, requires_grad=True)
    tout = F.conv2d(tx, tW, tb, stride=s, padding=p)
    tout.backward(torch.tensor(dout))
    tol = dict(rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out, tout.detach().numpy(), **tol)
    np.testing.assert_allclose(dx, tx.grad.numpy(), **tol)
    np.testing.assert_allclose(conv.dW, tW.grad.numpy(), **tol)
    np.testing.assert_allclose(conv.db, tb.grad.numpy(), **tol)


@pytest.mark.torch
@pytest.mark.parametrize("cfg", POOL_CONFIGS)
def test_pooling_matches_torch(cfg, rng):
    n, c, h, w, ph, pw, s, p = cfg
    pool = Pooling(ph, pw, s, p)
    x = distinct_values(rng, (n, c, h, w))
    out = pool.forward(x)
    dout = rng.standard_normal(out.shape)
    dx = pool.backward(dout)
    tx = torch.tensor(x, requires_grad=True)
    tout = F.max_pool2d(tx, (ph, pw), stride=s, padding=p)
    tout.backward(torch.tensor(dout))
    np.testing.assert_array_equal(out, tout.detach().numpy())
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-15, atol=1e-15)


def test_convolution_output_shape_and_bias_hand_worked():
    # A 2x2 all-ones filter sums each window; the bias is added once per output.
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    conv = Convolution(np.ones((1, 1, 2, 2)), np.array([0.5]))
    np.testing.assert_array_equal(conv.forward(x)[0, 0], [[12.5, 16.5], [24.5, 28.5]])
    conv.backward(np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(conv.dW[0, 0], [[12, 16], [24, 28]])
    np.testing.assert_array_equal(conv.db, [4.0])

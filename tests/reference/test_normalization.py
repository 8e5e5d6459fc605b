"""Chapter 6 BatchNormalization and Dropout: numerical gradients and torch as an oracle."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.ch06_training_techniques.normalization import BN_EPS, BatchNormalization, Dropout
from tests.reference.gradcheck import SMOOTH_TOL, numeric_grad, numeric_grad_of_output, rel_error

EXT = np.longdouble


def extended_grad_of_output(forward, x, dout):
    """numeric_grad of sum(forward() * dout) with the layer evaluated in extended precision.

    Batch norm's dx has entries near zero (each column of dx sums to zero), where float64
    round-off in the forward pass (~1e-16/h = 1e-11 absolute) alone exceeds 1e-7 relative.
    x86 long double (eps 1e-19) brings that noise well under the tolerance.
    """
    assert np.finfo(EXT).eps < 1e-18, "needs an extended-precision long double (x86/aarch64 Linux)"
    dout = dout.astype(EXT)
    return numeric_grad(lambda: np.sum(forward() * dout), x)


def make_bn(rng, features):
    return BatchNormalization(rng.standard_normal(features), rng.standard_normal(features))


def test_bn_eps_is_the_books_10e_minus_7():
    assert BN_EPS == 1e-6


@pytest.mark.parametrize("shape", [(6, 4), (4, 2, 3, 3)])
def test_bn_train_backward_matches_numeric(shape, rng):
    x = rng.standard_normal(shape) * 3 + 1
    bn = make_bn(rng, int(np.prod(shape[1:])))
    dout = rng.standard_normal(shape)
    bn.forward(x, train_flg=True)
    dx = bn.backward(dout)
    assert dx.shape == shape

    # The same layer in extended precision, for the numerical side.
    x_ext = x.astype(EXT)
    ext = BatchNormalization(bn.gamma.astype(EXT), bn.beta.astype(EXT))

    def fwd():
        return ext.forward(x_ext, train_flg=True)

    assert rel_error(dx, extended_grad_of_output(fwd, x_ext, dout)) <= SMOOTH_TOL
    assert rel_error(bn.dgamma, extended_grad_of_output(fwd, ext.gamma, dout)) <= SMOOTH_TOL
    assert rel_error(bn.dbeta, extended_grad_of_output(fwd, ext.beta, dout)) <= SMOOTH_TOL


def test_bn_test_mode_backward_matches_numeric(rng):
    x = rng.standard_normal((5, 3))
    bn = make_bn(rng, 3)
    bn.running_mean = rng.standard_normal(3)
    bn.running_var = rng.random(3) + 0.5
    dout = rng.standard_normal(x.shape)
    bn.forward(x, train_flg=False)
    dx = bn.backward(dout)

    def fwd():
        return bn.forward(x, train_flg=False)

    assert rel_error(dx, numeric_grad_of_output(fwd, x, dout)) <= SMOOTH_TOL


@pytest.mark.torch
@pytest.mark.parametrize("shape", [(8, 5), (6, 2, 3, 3)])
def test_bn_matches_torch_forward_backward_and_running_stats(shape, rng):
    # The book normalises every non-batch element separately, so 4-D input is compared
    # with torch on its (N, C*H*W) flattening. Momentum maps as torch_momentum = 1 - ours.
    n = shape[0]
    d = int(np.prod(shape[1:]))
    bn = make_bn(rng, d)
    bn.running_mean, bn.running_var = np.zeros(d), np.ones(d)
    for _ in range(3):
        x = rng.standard_normal(shape) * 2 - 0.5
        dout = rng.standard_normal(shape)
        prev_mean, prev_var = bn.running_mean.copy(), bn.running_var.copy()
        out = bn.forward(x, train_flg=True)
        dx = bn.backward(dout)

        tx = torch.tensor(x.reshape(n, d), requires_grad=True)
        tg = torch.tensor(bn.gamma, requires_grad=True)
        tb = torch.tensor(bn.beta, requires_grad=True)
        rm, rv = torch.tensor(prev_mean), torch.tensor(prev_var)
        tout = F.batch_norm(tx, rm, rv, tg, tb, training=True, momentum=0.1, eps=BN_EPS)
        tout.backward(torch.tensor(dout.reshape(n, d)))

        np.testing.assert_allclose(out.reshape(n, d), tout.detach().numpy(), rtol=1e-10,
                                   atol=1e-12)
        np.testing.assert_allclose(dx.reshape(n, d), tx.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(bn.dgamma, tg.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(bn.dbeta, tb.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(bn.running_mean, rm.numpy(), rtol=1e-12)
        # Torch folds in the unbiased batch variance (x N/(N-1)); the book the biased one.
        # Undo torch's correction on the new contribution before comparing.
        torch_contribution = rv.numpy() - 0.9 * prev_var
        np.testing.assert_allclose(bn.running_var,
                                   0.9 * prev_var + torch_contribution * (n - 1) / n, rtol=1e-12)

    # Test mode uses the running statistics, as torch with training=False.
    x = rng.standard_normal(shape)
    out = bn.forward(x, train_flg=False)
    tout = F.batch_norm(torch.tensor(x.reshape(n, d)), torch.tensor(bn.running_mean),
                        torch.tensor(bn.running_var), torch.tensor(bn.gamma),
                        torch.tensor(bn.beta), training=False, eps=BN_EPS)
    np.testing.assert_allclose(out.reshape(n, d), tout.numpy(), rtol=1e-10, atol=1e-12)


def test_bn_train_output_is_standardised_hand_worked():
    # Column [1, 3]: mean 2, biased variance 1, so x_hat = [-1, 1] / sqrt(1 + 1e-6).
    bn = BatchNormalization(np.array([2.0]), np.array([0.5]))
    out = bn.forward(np.array([[1.0], [3.0]]))
    s = 1 / np.sqrt(1 + 1e-6)
    np.testing.assert_allclose(out[:, 0], [0.5 - 2 * s, 0.5 + 2 * s], rtol=1e-14)
    # Running stats start at zero and take (1 - 0.9) of the batch statistics.
    np.testing.assert_allclose(bn.running_mean, [0.2])
    np.testing.assert_allclose(bn.running_var, [0.1])


def test_dropout_is_seeded_and_masks_about_ratio(rng):
    x = rng.standard_normal((200, 50))
    a, b = Dropout(0.3, seed=7), Dropout(0.3, seed=7)
    ya, yb = a.forward(x), b.forward(x)
    np.testing.assert_array_equal(ya, yb)
    dropped = 1 - a.mask.mean()
    assert dropped == pytest.approx(0.3, abs=0.02)
    np.testing.assert_array_equal(ya, np.where(a.mask, x, 0.0))
    # A second forward draws a fresh mask.
    a.forward(x)
    assert not np.array_equal(a.mask, b.mask)


def test_dropout_test_mode_scales_by_keep_ratio(rng):
    # Non-inverted dropout: the test-time output equals the train-time expectation.
    x = rng.standard_normal((4, 5))
    drop = Dropout(0.25, seed=0)
    np.testing.assert_allclose(drop.forward(x, train_flg=False), 0.75 * x)
    np.testing.assert_allclose(drop.backward(np.ones_like(x)), np.full_like(x, 0.75))


def test_dropout_backward_matches_numeric(rng):
    x = rng.standard_normal((6, 7))
    dout = rng.standard_normal(x.shape)
    drop = Dropout(0.5, seed=3)
    drop.forward(x)
    dx = drop.backward(dout)

    def fwd():
        # Re-seed so every evaluation sees the mask the backward used.
        drop.rng = np.random.default_rng(3)
        return drop.forward(x)

    num = numeric_grad_of_output(fwd, x, dout)
    assert rel_error(dx, num) <= SMOOTH_TOL
    assert np.any(dx == 0) and np.any(dx != 0)

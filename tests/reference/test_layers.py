import numpy as np
import pytest
import torch

from reference.ch05_backprop.layers import Affine, AddLayer, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from reference.ch04_training.losses import DELTA
from tests.reference.gradcheck import (
    KINK_TOL, SMOOTH_TOL, numeric_grad, numeric_grad_of_output, rel_error,
)


def away_from_zero(rng, shape, margin=0.1):
    """Values with |v| >= margin, so a finite-difference step never crosses ReLU's kink."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(margin, 2.0, size=shape)


def t64(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


# ---- book examples (section 5.4) ----

def test_apple_example():
    apple, apple_num, tax = 100, 2, 1.1
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(apple, apple_num), tax)
    assert price == pytest.approx(220.0)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    assert (dapple, dapple_num, dtax) == pytest.approx((2.2, 110.0, 200.0))


def test_apple_orange_example():
    apple, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    orange_price = mul_orange.forward(orange, orange_num)
    price = mul_tax.forward(add.forward(apple_price, orange_price), tax)
    assert price == pytest.approx(715.0)

    dall, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dall)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    assert dapple == pytest.approx(2.2)
    assert dapple_num == pytest.approx(110.0)
    assert dorange == pytest.approx(3.3)
    assert dorange_num == pytest.approx(165.0)
    assert dtax == pytest.approx(650.0)


def test_caches_are_none_until_forward():
    assert MulLayer().x is None and MulLayer().y is None
    assert Relu().mask is None
    assert Sigmoid().out is None
    affine = Affine(np.ones((2, 3)), np.zeros(3))
    assert affine.x is None and affine.dW is None and affine.db is None
    swl = SoftmaxWithLoss()
    assert swl.y is None and swl.t is None and swl.loss is None


# ---- gradient checks against central differences ----

def test_mul_and_add_backward_gradcheck(rng):
    x, y, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    mul, add = MulLayer(), AddLayer()
    mul.forward(x, y)
    dx, dy = mul.backward(dout)
    assert rel_error(dx, numeric_grad_of_output(lambda: mul.forward(x, y), x, dout)) < SMOOTH_TOL
    assert rel_error(dy, numeric_grad_of_output(lambda: mul.forward(x, y), y, dout)) < SMOOTH_TOL
    dx, dy = add.backward(dout)
    assert rel_error(dx, numeric_grad_of_output(lambda: add.forward(x, y), x, dout)) < SMOOTH_TOL
    assert rel_error(dy, numeric_grad_of_output(lambda: add.forward(x, y), y, dout)) < SMOOTH_TOL


def test_relu_backward_gradcheck(rng):
    x, dout = away_from_zero(rng, (4, 5)), rng.normal(size=(4, 5))
    layer = Relu()
    layer.forward(x)
    dx = layer.backward(dout)
    # Looser bound (KINK_TOL) because ReLU is piecewise: documented in gradcheck.
    assert rel_error(dx, numeric_grad_of_output(lambda: layer.forward(x), x, dout)) < KINK_TOL


def test_relu_passes_no_gradient_at_exactly_zero():
    # The book masks x <= 0, and torch agrees: the subgradient chosen at the kink is 0.
    x = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.relu(x).backward(torch.ones(3, dtype=torch.float64))
    layer = Relu()
    layer.forward(x.detach().numpy().copy())
    np.testing.assert_array_equal(layer.backward(np.ones(3)), x.grad.numpy())
    np.testing.assert_array_equal(layer.backward(np.ones(3)), [0.0, 0.0, 1.0])


def test_relu_does_not_modify_its_inputs(rng):
    x, dout = away_from_zero(rng, (4, 5)), rng.normal(size=(4, 5))
    x0, dout0 = x.copy(), dout.copy()
    layer = Relu()
    out = layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(dout, dout0)
    assert np.all(out[x0 <= 0] == 0) and np.all(dx[x0 <= 0] == 0)
    np.testing.assert_array_equal(dx[x0 > 0], dout0[x0 > 0])


def test_sigmoid_backward_gradcheck(rng):
    x, dout = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    layer = Sigmoid()
    layer.forward(x)
    dx = layer.backward(dout)
    assert rel_error(dx, numeric_grad_of_output(lambda: layer.forward(x), x, dout)) < SMOOTH_TOL


@pytest.mark.parametrize("x_shape", [(5, 6), (3, 2, 2, 3), (6,)])
def test_affine_backward_gradcheck(rng, x_shape):
    x = rng.normal(size=x_shape)
    n_in = 6 if len(x_shape) == 1 else int(np.prod(x_shape[1:]))
    W, b = rng.normal(size=(n_in, 4)), rng.normal(size=4)
    layer = Affine(W, b)
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    dW, db = layer.dW.copy(), layer.db.copy()
    assert dx.shape == x.shape
    assert dW.shape == W.shape and db.shape == b.shape

    def fwd():
        return layer.forward(x)

    assert rel_error(dx, numeric_grad_of_output(fwd, x, dout)) < SMOOTH_TOL
    assert rel_error(dW, numeric_grad_of_output(fwd, W, dout)) < SMOOTH_TOL
    assert rel_error(db, numeric_grad_of_output(fwd, b, dout)) < SMOOTH_TOL


def _onehot_or_labels(rng, n, c, one_hot):
    labels = rng.integers(0, c, size=n)
    return labels, (np.eye(c)[labels] if one_hot else labels)


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_backward_gradcheck(rng, one_hot):
    x = rng.normal(size=(6, 5))
    labels, t = _onehot_or_labels(rng, 6, 5, one_hot)
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward(1)
    # backward is the exact gradient of the loss *without* the 1e-7 in the log (as in the
    # book); check it tightly against that loss, computed here independently...
    def plain_cee():
        z = x - x.max(axis=1, keepdims=True)
        return -np.mean(z[np.arange(6), labels] - np.log(np.exp(z).sum(axis=1)))
    assert rel_error(dx, numeric_grad(plain_cee, x)) < SMOOTH_TOL
    # ...and against the layer's own forward, where the delta shifts the answer entries by
    # a factor p/(p + delta), i.e. a relative error of about delta / (2 p).
    p_answer = layer.y[np.arange(6), labels]
    bound = SMOOTH_TOL + DELTA / p_answer.min()
    assert rel_error(dx, numeric_grad(lambda: layer.forward(x, t), x)) < bound


def test_softmax_with_loss_scales_by_dout_and_batch(rng):
    x = rng.normal(size=(4, 3))
    layer = SoftmaxWithLoss()
    layer.forward(x, np.array([0, 1, 2, 0]))
    dx1 = layer.backward()
    np.testing.assert_allclose(layer.backward(2.5), 2.5 * dx1, rtol=1e-15)
    expected = (layer.y - np.eye(3)[[0, 1, 2, 0]]) / 4
    np.testing.assert_allclose(dx1, expected, rtol=1e-14)


# ---- PyTorch as an oracle (float64, autograd) ----

@pytest.mark.torch
@pytest.mark.parametrize("x_shape", [(5, 6), (3, 2, 3)])
def test_affine_matches_torch(rng, x_shape):
    x = rng.normal(size=x_shape)
    W, b = rng.normal(size=(6, 4)), rng.normal(size=4)
    layer = Affine(W, b)
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)

    xt, Wt, bt = t64(x, True), t64(W, True), t64(b, True)
    out_t = xt.reshape(x_shape[0], -1) @ Wt + bt
    out_t.backward(t64(dout))
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.dW, Wt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.db, bt.grad.numpy(), rtol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("layer_cls, torch_fn", [(Relu, torch.relu), (Sigmoid, torch.sigmoid)])
@pytest.mark.parametrize("shape", [(7,), (4, 5)])
def test_activation_layers_match_torch(rng, layer_cls, torch_fn, shape):
    x, dout = away_from_zero(rng, shape), rng.normal(size=shape)
    layer = layer_cls()
    out = layer.forward(x)
    dx = layer.backward(dout)
    xt = t64(x, True)
    out_t = torch_fn(xt)
    out_t.backward(t64(dout))
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-13)


@pytest.mark.torch
@pytest.mark.parametrize("one_hot", [False, True])
@pytest.mark.parametrize("n", [None, 7])
def test_softmax_with_loss_matches_torch(rng, one_hot, n):
    c = 5
    x = rng.normal(scale=2, size=(c,) if n is None else (n, c))
    labels, t = _onehot_or_labels(rng, 1 if n is None else n, c, one_hot)
    if n is None:
        labels, t = labels[0], t[0]
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    dx = layer.backward(1)

    xt = t64(x, True)
    x2 = xt.reshape(-1, c)
    lab = torch.as_tensor(np.atleast_1d(labels))
    # Forward: the book's loss keeps 1e-7 inside the log.
    p = torch.softmax(x2, dim=1).gather(1, lab.reshape(-1, 1))
    assert loss == pytest.approx(float(-torch.log(p + 1e-7).mean().detach()), rel=1e-13)
    # Backward: y - t is the gradient of the delta-free loss, i.e. torch's cross_entropy.
    torch.nn.functional.cross_entropy(x2, lab).backward()
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12, atol=1e-15)

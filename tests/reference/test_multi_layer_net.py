"""Chapter 6 MultiLayerNet / MultiLayerNetExtend: backprop against numerical gradients,
weight decay, initial scales, and a short training run."""

import copy

import numpy as np
import pytest
from sklearn.datasets import load_digits

from reference.ch05_backprop.layers import Affine
from reference.ch06_training_techniques.multi_layer_net import MultiLayerNet, MultiLayerNetExtend
from reference.ch06_training_techniques.normalization import BatchNormalization, Dropout
from reference.ch06_training_techniques.optimizers import Adam
from tests.reference.gradcheck import KINK_TOL, SMOOTH_TOL, numeric_grad, rel_error

EXT = np.longdouble


def fix_dropout(net):
    """Give every Dropout layer a freshly seeded generator, so each forward draws the same
    masks (the numerical gradient needs a fixed function)."""
    for i, layer in enumerate(net.layers.values()):
        if isinstance(layer, Dropout):
            layer.rng = np.random.default_rng(100 + i)


def exact_loss(net, x, t):
    """Cross-entropy without the book's 1e-7 inside the log (which backprop ignores), via
    log-sum-exp, plus the weight-decay term; training mode, as gradient() uses."""
    fix_dropout(net)
    scores = net.predict(x, train_flg=True)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    data = -np.mean(log_probs[np.arange(len(t)), t])
    weights = [v for k, v in net.params.items() if k.startswith("W")]
    return data + 0.5 * net.weight_decay_lambda * sum(np.sum(W * W) for W in weights)


def extended_copy(net):
    """The same network with every parameter in long double, layers still sharing them.

    Float64 round-off in the loss (~1e-16/h = 1e-11) is above 1e-7 relative on the
    smallest gradient entries; extended precision (eps 1e-19) removes that noise.
    """
    assert np.finfo(EXT).eps < 1e-18, "needs an extended-precision long double"
    ext = copy.deepcopy(net)
    converted = {id(v): v.astype(EXT) for v in ext.params.values()}
    ext.params = {k: converted[id(v)] for k, v in ext.params.items()}
    for layer in ext.layers.values():
        for attr in ("W", "b", "gamma", "beta"):
            if isinstance(layer, (Affine, BatchNormalization)) and hasattr(layer, attr):
                setattr(layer, attr, converted[id(getattr(layer, attr))])
    return ext


NETS = [
    # (class, kwargs, tolerance): ReLU nets are checked at the kink tolerance.
    (MultiLayerNet, dict(activation="sigmoid", weight_init_std="sigmoid"), SMOOTH_TOL),
    (MultiLayerNet, dict(activation="relu", weight_decay_lambda=0.1), KINK_TOL),
    (MultiLayerNetExtend, dict(activation="sigmoid", use_batchnorm=True,
                               weight_decay_lambda=0.05), SMOOTH_TOL),
    (MultiLayerNetExtend, dict(use_dropout=True, dropout_ration=0.3), KINK_TOL),
    (MultiLayerNetExtend, dict(use_batchnorm=True, use_dropout=True,
                               weight_decay_lambda=0.01), KINK_TOL),
]


@pytest.mark.parametrize("cls, kwargs, tol", NETS)
def test_gradient_matches_numeric(cls, kwargs, tol, np_seed, rng):
    net = cls(input_size=5, hidden_size_list=[6, 4], output_size=3, **kwargs)
    # Zero biases put a ReLU exactly on its kink whenever a sample's previous layer is
    # all dead (z = 0*W + 0); random biases, gammas and betas keep every unit off it.
    for key, value in net.params.items():
        if not key.startswith("W"):
            value += 0.3 * rng.standard_normal(value.shape)
    x = rng.standard_normal((7, 5))
    t = rng.integers(0, 3, size=7)
    ext = extended_copy(net)
    fix_dropout(net)
    grads = net.gradient(x, t)
    x_ext = x.astype(EXT)
    assert set(grads) == set(net.params)
    for key in sorted(grads):
        num = numeric_grad(lambda: exact_loss(ext, x_ext, t), ext.params[key])
        before_bn = key[0] == "b" and key[1:].isdigit() and int(key[1:]) <= net.hidden_layer_num
        if net.use_batchnorm and before_bn:
            # Batch norm subtracts the batch mean, so a bias just before it has exactly zero
            # gradient; rel_error's 1e-8 floor would turn round-off into a relative error.
            assert np.max(np.abs(grads[key])) < 1e-12 and np.max(np.abs(num)) < 1e-12, key
        else:
            assert rel_error(grads[key], num) <= tol, key


def test_books_numerical_gradient_agrees_with_backprop(np_seed, rng):
    # The book's method uses h=1e-4 and its loss keeps the 1e-7 inside the log, so it
    # agrees with backprop to about 1e-7/p (p a predicted probability), not to round-off.
    net = MultiLayerNetExtend(4, [5], 3, use_batchnorm=True, weight_decay_lambda=0.1)
    x = rng.standard_normal((6, 4))
    t = rng.integers(0, 3, size=6)
    num = net.numerical_gradient(x, t)
    grads = net.gradient(x, t)
    assert set(num) == set(grads) == {"W1", "b1", "gamma1", "beta1", "W2", "b2"}
    for key in grads:
        np.testing.assert_allclose(grads[key], num[key], rtol=1e-4, atol=1e-5, err_msg=key)


def test_weight_decay_in_loss_and_gradient(np_seed, rng):
    net = MultiLayerNet(4, [5, 5], 3, weight_decay_lambda=0.0)
    x = rng.standard_normal((6, 4))
    t = rng.integers(0, 3, size=6)
    loss0, grads0 = net.loss(x, t), {k: v.copy() for k, v in net.gradient(x, t).items()}
    net.weight_decay_lambda = 0.3
    penalty = 0.15 * sum(np.sum(net.params[f"W{i}"] ** 2) for i in (1, 2, 3))
    assert net.loss(x, t) == pytest.approx(loss0 + penalty, rel=1e-12)
    grads = net.gradient(x, t)
    for i in (1, 2, 3):
        np.testing.assert_allclose(grads[f"W{i}"], grads0[f"W{i}"] + 0.3 * net.params[f"W{i}"],
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(grads[f"b{i}"], grads0[f"b{i}"])


@pytest.mark.parametrize("init, expected", [("relu", np.sqrt(2 / 400)), ("he", np.sqrt(2 / 400)),
                                            ("sigmoid", np.sqrt(1 / 400)), (0.01, 0.01)])
def test_initial_weight_scales(init, expected, np_seed):
    net = MultiLayerNet(400, [300, 300], 10, weight_init_std=init)
    # W2 has fan-in 300, W1 fan-in 400; 120k draws estimate a std to well under 1%.
    assert np.std(net.params["W1"]) == pytest.approx(expected, rel=0.02)
    second = expected * np.sqrt(400 / 300) if isinstance(init, str) else expected
    assert np.std(net.params["W2"]) == pytest.approx(second, rel=0.02)
    assert not np.any(net.params["b1"])


def test_extend_structure_and_keyword_spellings(np_seed):
    a = MultiLayerNetExtend(4, [5, 6], 2, use_dropout=True, dropout_ration=0.2, use_batchnorm=True)
    b = MultiLayerNetExtend(4, [5, 6], 2, use_dropout=True, dropout_ratio=0.2)
    names = list(a.layers)
    assert names == ["Affine1", "BatchNorm1", "Activation_function1", "Dropout1",
                     "Affine2", "BatchNorm2", "Activation_function2", "Dropout2", "Affine3"]
    assert all(l.dropout_ratio == 0.2 for l in b.layers.values() if isinstance(l, Dropout))
    np.testing.assert_array_equal(a.params["gamma2"], np.ones(6))
    np.testing.assert_array_equal(a.params["beta1"], np.zeros(5))
    # Test-mode predictions are deterministic; train mode with dropout is not.
    x = np.random.randn(3, 4)
    np.testing.assert_array_equal(a.predict(x), a.predict(x))
    assert not np.array_equal(a.predict(x, train_flg=True), a.predict(x, train_flg=True))


def test_layers_share_param_arrays_so_updates_reach_them(np_seed):
    net = MultiLayerNetExtend(3, [4], 2, use_batchnorm=True)
    assert net.layers["Affine1"].W is net.params["W1"]
    assert net.layers["BatchNorm1"].gamma is net.params["gamma1"]


@pytest.mark.slow
def test_extend_with_batchnorm_learns_digits(np_seed):
    digits = load_digits()
    x, t = digits.data / 16.0, digits.target
    order = np.random.permutation(len(x))
    train, test = order[:1400], order[1400:]
    net = MultiLayerNetExtend(64, [50, 50], 10, use_batchnorm=True, weight_decay_lambda=1e-4)
    opt = Adam(lr=0.01)
    for _ in range(15):
        for batch in np.array_split(np.random.permutation(train), 14):
            opt.update(net.params, net.gradient(x[batch], t[batch]))
    assert net.accuracy(x[test], t[test]) >= 0.93

"""Chapter 7 SimpleConvNet: shapes, backprop against numerical gradients, learning digits."""

import copy

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from reference.ch07_cnn.conv import Convolution
from reference.ch05_backprop.layers import Affine
from reference.ch06_training_techniques.optimizers import Adam
from reference.ch07_cnn.simple_convnet import SimpleConvNet
from tests.reference.gradcheck import KINK_TOL, numeric_grad, rel_error

EXT = np.longdouble
SMALL = dict(input_dim=(2, 6, 6), conv_param={"filter_num": 3, "filter_size": 3, "pad": 1,
                                               "stride": 1},
             hidden_size=5, output_size=3, weight_init_std=0.3)


def exact_loss(net, x, t):
    """Cross-entropy via log-sum-exp, without the book's 1e-7 inside the log."""
    scores = net.predict(x)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(len(t)), t])


def extended_copy(net):
    """The network with long-double parameters: float64 round-off in the loss would
    otherwise exceed the tolerance on the smallest gradient entries."""
    assert np.finfo(EXT).eps < 1e-18, "needs an extended-precision long double"
    ext = copy.deepcopy(net)
    converted = {id(v): v.astype(EXT) for v in ext.params.values()}
    ext.params = {k: converted[id(v)] for k, v in ext.params.items()}
    for layer in ext.layers.values():
        if isinstance(layer, (Affine, Convolution)):
            layer.W, layer.b = converted[id(layer.W)], converted[id(layer.b)]
    return ext


def test_default_shapes_follow_the_book(np_seed):
    net = SimpleConvNet()
    # 28-5+1 = 24, pooled to 12: 30*12*12 = 4320 inputs to the hidden layer.
    shapes = {k: v.shape for k, v in net.params.items()}
    assert shapes == {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (4320, 100), "b2": (100,),
                      "W3": (100, 10), "b3": (10,)}
    assert np.std(net.params["W2"]) == pytest.approx(0.01, rel=0.02)
    assert net.predict(np.random.randn(2, 1, 28, 28)).shape == (2, 10)


def test_odd_conv_output_is_floored_by_the_pool(np_seed):
    # 8-2+1 = 7 pools to 3 (the last row/column is dropped): 4*3*3 inputs, not int(4*3.5**2).
    net = SimpleConvNet(input_dim=(1, 8, 8), conv_param={"filter_num": 4, "filter_size": 2,
                                                         "pad": 0, "stride": 1})
    assert net.params["W2"].shape == (36, 100)
    assert net.predict(np.random.randn(3, 1, 8, 8)).shape == (3, 10)


def test_gradient_matches_numeric(np_seed, rng):
    net = SimpleConvNet(**SMALL)
    # Nonzero biases keep ReLU inputs off exactly 0; continuous random inputs make a
    # max-pool tie within a finite-difference step improbable. Kinks remain possible in
    # principle, hence the kink tolerance.
    for key in ("b1", "b2", "b3"):
        net.params[key] += 0.3 * rng.standard_normal(net.params[key].shape)
    x = rng.standard_normal((4, 2, 6, 6))
    t = rng.integers(0, 3, size=4)
    grads = net.gradient(x, t)
    assert set(grads) == set(net.params)
    ext = extended_copy(net)
    x_ext = x.astype(EXT)
    for key in sorted(grads):
        num = numeric_grad(lambda: exact_loss(ext, x_ext, t), ext.params[key])
        assert rel_error(grads[key], num) <= KINK_TOL, key


def test_books_numerical_gradient_agrees_with_backprop(np_seed, rng):
    # The book's method (h=1e-4, loss with 1e-7 inside the log) agrees to about 1e-6.
    net = SimpleConvNet(**SMALL)
    for key in ("b1", "b2", "b3"):
        net.params[key] += 0.3 * rng.standard_normal(net.params[key].shape)
    x = rng.standard_normal((3, 2, 6, 6))
    t = rng.integers(0, 3, size=3)
    num = net.numerical_gradient(x, t)
    grads = net.gradient(x, t)
    for key in grads:
        np.testing.assert_allclose(grads[key], num[key], rtol=1e-4, atol=1e-5, err_msg=key)


def test_accuracy_accepts_one_hot_and_batches(np_seed, rng):
    net = SimpleConvNet(**SMALL)
    x = rng.standard_normal((7, 2, 6, 6))
    labels = np.argmax(net.predict(x), axis=1)
    t = labels.copy()
    t[:2] = (t[:2] + 1) % 3
    assert net.accuracy(x, t, batch_size=3) == pytest.approx(5 / 7)
    assert net.accuracy(x, np.eye(3)[t], batch_size=2) == pytest.approx(5 / 7)


@pytest.mark.slow
def test_learns_digits(np_seed):
    digits = load_digits()
    x = (digits.images / 16.0).reshape(-1, 1, 8, 8)
    x_train, x_test, t_train, t_test = train_test_split(
        x, digits.target, test_size=0.25, random_state=0, stratify=digits.target)
    net = SimpleConvNet(input_dim=(1, 8, 8),
                        conv_param={"filter_num": 16, "filter_size": 3, "pad": 1, "stride": 1},
                        hidden_size=64, output_size=10, weight_init_std="relu")
    opt = Adam(lr=0.003)
    order = np.random.default_rng(0)
    for _ in range(10):
        perm = order.permutation(len(x_train))
        for i in range(0, len(perm), 50):
            batch = perm[i:i + 50]
            opt.update(net.params, net.gradient(x_train[batch], t_train[batch]))
    assert net.accuracy(x_test, t_test) >= 0.95

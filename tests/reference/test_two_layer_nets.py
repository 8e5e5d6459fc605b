import numpy as np
import pytest
import torch

from reference import ch04_training, ch05_backprop
from reference.ch04_training.two_layer_net import TwoLayerNet as TwoLayerNet4
from reference.ch05_backprop.layers import Affine, Relu, SoftmaxWithLoss
from reference.ch05_backprop.two_layer_net import TwoLayerNet as TwoLayerNet5
from tests.reference.gradcheck import rel_error

NETS = [TwoLayerNet4, TwoLayerNet5]
NET_IDS = ["ch04", "ch05"]
# The nets' numerical_gradient is the book's (h = 1e-4) applied to a loss with 1e-7 inside
# the log, while gradient() is exact for the delta-free loss. The delta shifts answer
# entries by about 1e-7 / p_answer (<= 1e-6 with p_answer >= 0.1, asserted below), and h^2
# truncation adds a little more: 1e-5 leaves room yet catches any real backprop mistake,
# which shows up at 1e-2 or worse.
NET_TOL = 1e-5


def tiny_problem(seed, one_hot):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(5, 4))
    labels = rng.integers(0, 3, size=5)
    return x, labels, (np.eye(3)[labels] if one_hot else labels)


def test_each_chapter_exports_its_own_two_layer_net():
    assert ch04_training.TwoLayerNet is TwoLayerNet4 and ch05_backprop.TwoLayerNet is TwoLayerNet5


@pytest.mark.parametrize("net_cls", NETS, ids=NET_IDS)
def test_params_shapes_and_init(np_seed, net_cls):
    net = net_cls(784, 50, 10)
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (784, 50), "b1": (50,), "W2": (50, 10), "b2": (10,),
    }
    assert not net.params["b1"].any() and not net.params["b2"].any()
    assert 0.005 < net.params["W1"].std() < 0.015  # weight_init_std = 0.01 times randn


def test_ch05_layers_share_params_and_are_ordered(np_seed):
    net = TwoLayerNet5(4, 6, 3)
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert isinstance(net.layers["Affine1"], Affine) and isinstance(net.layers["Relu1"], Relu)
    assert net.layers["Affine1"].W is net.params["W1"]
    assert net.layers["Affine2"].b is net.params["b2"]
    assert isinstance(net.lastLayer, SoftmaxWithLoss)


@pytest.mark.parametrize("net_cls", NETS, ids=NET_IDS)
@pytest.mark.parametrize("one_hot", [False, True])
def test_gradient_matches_numerical_gradient(np_seed, net_cls, one_hot):
    x, labels, t = tiny_problem(1, one_hot)
    net = net_cls(4, 6, 3, weight_init_std=0.5)
    net.params["b1"][:] = np.random.randn(6) * 0.1  # nonzero, so b1's gradient is exercised
    grads = net.gradient(x, t)
    num = net.numerical_gradient(x, t)
    # Preconditions for NET_TOL: no tiny answer probability, no ReLU input near its kink.
    logits = _logits(net, x)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    assert p[np.arange(5), labels].min() >= 0.1
    assert np.abs(x @ net.params["W1"] + net.params["b1"]).min() > 1e-3
    for key in ("W1", "b1", "W2", "b2"):
        assert grads[key].shape == net.params[key].shape
        assert rel_error(grads[key], num[key]) < NET_TOL, key


def _logits(net, x):
    """Output-layer input of either net, recomputed from params."""
    p = net.params
    a1 = x @ p["W1"] + p["b1"]
    z1 = 1 / (1 + np.exp(-a1)) if isinstance(net, TwoLayerNet4) else np.maximum(a1, 0)
    return z1 @ p["W2"] + p["b2"]


@pytest.mark.torch
@pytest.mark.parametrize("net_cls", NETS, ids=NET_IDS)
def test_gradient_matches_torch_autograd(np_seed, net_cls):
    x, labels, t = tiny_problem(2, one_hot=False)
    net = net_cls(4, 6, 3, weight_init_std=0.5)
    grads = net.gradient(x, t)
    params = {k: torch.tensor(v, requires_grad=True) for k, v in net.params.items()}
    a1 = torch.from_numpy(x) @ params["W1"] + params["b1"]
    z1 = torch.sigmoid(a1) if net_cls is TwoLayerNet4 else torch.relu(a1)
    logits = z1 @ params["W2"] + params["b2"]
    torch.nn.functional.cross_entropy(logits, torch.from_numpy(labels)).backward()
    for key, p in params.items():
        np.testing.assert_allclose(grads[key], p.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("net_cls", NETS, ids=NET_IDS)
def test_accuracy_labels_and_one_hot(np_seed, net_cls):
    net = net_cls(4, 6, 3, weight_init_std=0.5)
    x = np.random.randn(10, 4)
    pred = np.argmax(net.predict(x), axis=1)
    labels = pred.copy()
    labels[:3] = (labels[:3] + 1) % 3  # 3 of 10 made wrong
    assert net.accuracy(x, labels) == pytest.approx(0.7)
    assert net.accuracy(x, np.eye(3)[labels]) == pytest.approx(0.7)


@pytest.mark.slow
def test_backprop_net_learns_digits(np_seed):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x_train, x_test, t_train, t_test = train_test_split(
        digits.data / 16.0, digits.target, test_size=0.3, random_state=0, stratify=digits.target
    )
    net = TwoLayerNet5(64, 50, 10, weight_init_std=0.1)
    rng = np.random.default_rng(0)
    before = net.accuracy(x_test, t_test)
    for _ in range(1500):
        batch = rng.choice(len(x_train), 100)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in net.params:
            net.params[key] -= 0.1 * grads[key]  # in place: the layers see the update
    assert before < 0.3
    assert net.accuracy(x_test, t_test) >= 0.90

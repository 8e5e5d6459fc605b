import numpy as np
import pytest

from reference.ch03_neural_networks.activations import sigmoid, softmax
from reference.ch03_neural_networks.three_layer_net import accuracy, forward, init_network, predict


def test_init_network_book_shapes():
    net = init_network()
    shapes = {k: v.shape for k, v in net.items()}
    assert shapes == {
        "W1": (2, 3), "b1": (3,), "W2": (3, 2), "b2": (2,), "W3": (2, 2), "b3": (2,),
    }
    np.testing.assert_array_equal(net["W1"], [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])


def test_forward_book_value():
    y = forward(init_network(), np.array([1.0, 0.5]))
    np.testing.assert_allclose(y, [0.31682708, 0.69627909], atol=1e-8)


def test_forward_first_layer_by_hand():
    # Book 3.4.3: A1 = [0.3, 0.7, 1.1] for x = [1.0, 0.5]; check the rest follows.
    net = init_network()
    z1 = sigmoid(np.array([0.3, 0.7, 1.1]))
    z2 = sigmoid(z1 @ net["W2"] + net["b2"])
    np.testing.assert_allclose(forward(net, np.array([1.0, 0.5])), z2 @ net["W3"] + net["b3"])


def test_predict_is_softmax_of_forward(rng):
    net = init_network()
    x = rng.normal(size=(5, 2))
    np.testing.assert_allclose(predict(net, x), softmax(forward(net, x)), rtol=1e-14)
    np.testing.assert_allclose(predict(net, x).sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(predict(net, x)[3], predict(net, x[3]), rtol=1e-14)


@pytest.mark.parametrize("one_hot", [False, True])
def test_accuracy_labels_and_one_hot(rng, one_hot):
    net = init_network()
    x = rng.normal(size=(20, 2))
    labels = np.argmax(predict(net, x), axis=1)
    labels[:5] = 1 - labels[:5]  # flip 5 of 20 answers: two classes, so each flip is wrong
    t = np.eye(2)[labels] if one_hot else labels
    assert accuracy(net, x, t) == pytest.approx(0.75)

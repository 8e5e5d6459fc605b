"""Chapter 3 three-layer forward pass with the book's hand-set weights."""

import numpy as np

from .activations import identity_function, sigmoid, softmax
from ..evaluation import accuracy_of


def init_network():
    """The weights and biases of section 3.4.3 (2 inputs -> 3 -> 2 -> 2 outputs)."""
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]),
        "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]),
        "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]),
        "b3": np.array([0.1, 0.2]),
    }


def _hidden(network, x):
    z1 = sigmoid(np.dot(x, network["W1"]) + network["b1"])
    z2 = sigmoid(np.dot(z1, network["W2"]) + network["b2"])
    return np.dot(z2, network["W3"]) + network["b3"]


def forward(network, x):
    """Section 3.4.3: sigmoid, sigmoid, identity output (regression-style)."""
    return identity_function(_hidden(network, x))


def predict(network, x):
    """Section 3.6: the same layers with a softmax output (classification)."""
    return softmax(_hidden(network, x))


def accuracy(network, x, t):
    """Fraction of the batch x whose argmax prediction matches t (labels or one-hot)."""
    return accuracy_of(predict(network, x), t)

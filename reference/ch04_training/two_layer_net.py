"""Chapter 4 two-layer network: sigmoid hidden layer, softmax output, both gradients."""

import numpy as np

from ..ch03_neural_networks.activations import sigmoid, softmax
from ..evaluation import accuracy_of
from .gradient import params_numerical_gradient
from .losses import cross_entropy_error


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }

    def predict(self, x):
        p = self.params
        z1 = sigmoid(np.dot(x, p["W1"]) + p["b1"])
        return softmax(np.dot(z1, p["W2"]) + p["b2"])

    def loss(self, x, t):
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x, t):
        return accuracy_of(self.predict(x), t)

    def numerical_gradient(self, x, t):
        return params_numerical_gradient(lambda: self.loss(x, t), self.params, list(self.params))

    def gradient(self, x, t):
        """Analytic gradient of loss(x, t): the backprop of chapter 5, written out by hand."""
        p = self.params
        a1 = np.dot(x, p["W1"]) + p["b1"]
        z1 = sigmoid(a1)
        y = softmax(np.dot(z1, p["W2"]) + p["b2"])
        t = np.asarray(t)
        if t.size != y.size:
            t = np.eye(y.shape[1])[t]
        # softmax + cross-entropy differentiates to (y - t) / N for a batch mean.
        dy = (y - t) / x.shape[0]
        da1 = np.dot(dy, p["W2"].T) * (1.0 - z1) * z1  # sigmoid' = s(1 - s)
        return {
            "W1": np.dot(x.T, da1),
            "b1": np.sum(da1, axis=0),
            "W2": np.dot(z1.T, dy),
            "b2": np.sum(dy, axis=0),
        }

"""Chapter 4 one-layer network used to show numerical gradients of a loss."""

import numpy as np

from ..ch03_neural_networks.activations import softmax
from .losses import cross_entropy_error


class simpleNet:
    def __init__(self):
        self.W = np.random.randn(2, 3)

    def predict(self, x):
        return np.dot(x, self.W)

    def loss(self, x, t):
        return cross_entropy_error(softmax(self.predict(x)), t)

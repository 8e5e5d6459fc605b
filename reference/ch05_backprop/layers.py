"""Chapter 5 layers: each forward caches what its backward needs."""

import numpy as np

from ..ch03_neural_networks.activations import sigmoid, softmax
from ..ch04_training.losses import cross_entropy_error


class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x * y

    def backward(self, dout):
        # d(xy)/dx = y and d(xy)/dy = x: each input's gradient is the other input.
        return dout * self.y, dout * self.x


class AddLayer:
    def __init__(self):
        pass

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0, x)

    def backward(self, dout):
        # A new array: the caller's dout may be shared with another branch of the graph.
        return np.where(self.mask, 0, dout)


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Affine:
    """x @ W + b; input of any rank is flattened to (N, -1) first, as for conv features."""

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        # A single 1-D sample is a batch of one; anything else keeps its leading axis.
        self.x = x.reshape(1, -1) if x.ndim == 1 else x.reshape(x.shape[0], -1)
        out = self.x @ self.W + self.b
        return out.reshape(-1) if x.ndim == 1 else out

    def backward(self, dout):
        dout = dout.reshape(self.x.shape[0], -1)
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)
        return dx.reshape(self.original_x_shape)


class SoftmaxWithLoss:
    """Softmax followed by cross-entropy; t is one-hot or class labels."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = np.asarray(t)
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        # The softmax Jacobian and the log's derivative cancel to y - t (the 1e-7 inside
        # the log is left out, as in the book); the loss is a batch mean, hence / N.
        y = self.y.reshape(-1, self.y.shape[-1])
        n = y.shape[0]
        if self.t.size == self.y.size:
            dx = y - self.t.reshape(y.shape)
        else:
            dx = y.copy()
            dx[np.arange(n), self.t.reshape(n)] -= 1
        return (dout * dx / n).reshape(self.y.shape)

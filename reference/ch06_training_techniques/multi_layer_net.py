"""Chapter 6 fully connected networks of any depth, with weight decay, batch norm, dropout.

Weights are drawn from np.random.randn, as the book does, so np.random.seed reproduces a
network. Layers hold the very arrays in `params`, so an optimizer's in-place update reaches
both.
"""

from collections import OrderedDict

import numpy as np

from ..ch04_training.gradient import params_numerical_gradient
from ..evaluation import accuracy_of
from .initializers import weight_scale
from ..ch05_backprop.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from .normalization import BatchNormalization, Dropout

_ACTIVATIONS = {"relu": Relu, "sigmoid": Sigmoid}


class MultiLayerNet:
    """Affine -> activation, repeated per hidden layer, then Affine -> SoftmaxWithLoss."""

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0):
        self._build(input_size, hidden_size_list, output_size, activation, weight_init_std,
                    weight_decay_lambda, use_dropout=False, dropout_ratio=0.5, use_batchnorm=False)

    def _build(self, input_size, hidden_size_list, output_size, activation, weight_init_std,
               weight_decay_lambda, use_dropout, dropout_ratio, use_batchnorm):
        if activation.lower() not in _ACTIVATIONS:
            raise ValueError(f"activation must be 'relu' or 'sigmoid', got {activation!r}")
        self.input_size = input_size
        self.hidden_size_list = list(hidden_size_list)
        self.hidden_layer_num = len(self.hidden_size_list)
        self.output_size = output_size
        self.weight_decay_lambda = weight_decay_lambda
        self.use_dropout = use_dropout
        self.use_batchnorm = use_batchnorm
        sizes = [input_size, *self.hidden_size_list, output_size]
        self.params = {}
        for i in range(1, len(sizes)):
            scale = weight_scale(weight_init_std, sizes[i - 1])
            self.params[f"W{i}"] = scale * np.random.randn(sizes[i - 1], sizes[i])
            self.params[f"b{i}"] = np.zeros(sizes[i])

        self.layers = OrderedDict()
        for i in range(1, self.hidden_layer_num + 1):
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"])
            if use_batchnorm:
                self.params[f"gamma{i}"] = np.ones(sizes[i])
                self.params[f"beta{i}"] = np.zeros(sizes[i])
                self.layers[f"BatchNorm{i}"] = BatchNormalization(
                    self.params[f"gamma{i}"], self.params[f"beta{i}"])
            self.layers[f"Activation_function{i}"] = _ACTIVATIONS[activation.lower()]()
            if use_dropout:
                # Seeded from the global generator so np.random.seed reproduces the masks too.
                seed = int(np.random.randint(2**31 - 1))
                self.layers[f"Dropout{i}"] = Dropout(dropout_ratio, seed=seed)
        last = self.hidden_layer_num + 1
        self.layers[f"Affine{last}"] = Affine(self.params[f"W{last}"], self.params[f"b{last}"])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x, train_flg=False):
        for layer in self.layers.values():
            if isinstance(layer, (BatchNormalization, Dropout)):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def _weight_decay(self):
        weights = (self.params[f"W{i}"] for i in range(1, self.hidden_layer_num + 2))
        return 0.5 * self.weight_decay_lambda * sum(np.sum(W * W) for W in weights)

    def loss(self, x, t, train_flg=False):
        y = self.predict(x, train_flg)
        return self.last_layer.forward(y, t) + self._weight_decay()

    def accuracy(self, x, t):
        return accuracy_of(self.predict(x, train_flg=False), t)

    def _param_keys(self):
        keys = []
        for i in range(1, self.hidden_layer_num + 2):
            keys += [f"W{i}", f"b{i}"]
            if self.use_batchnorm and i <= self.hidden_layer_num:
                keys += [f"gamma{i}", f"beta{i}"]
        return keys

    def numerical_gradient(self, x, t):
        # Training-mode loss, so batch norm uses batch statistics exactly as gradient() does.
        return params_numerical_gradient(lambda: self.loss(x, t, train_flg=True), self.params,
                                         self._param_keys())

    def gradient(self, x, t):
        self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        lam = self.weight_decay_lambda
        for i in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{i}"]
            # d/dW of 0.5*lam*||W||^2 is lam*W.
            grads[f"W{i}"] = affine.dW + lam * self.params[f"W{i}"]
            grads[f"b{i}"] = affine.db
            if self.use_batchnorm and i <= self.hidden_layer_num:
                grads[f"gamma{i}"] = self.layers[f"BatchNorm{i}"].dgamma
                grads[f"beta{i}"] = self.layers[f"BatchNorm{i}"].dbeta
        return grads


class MultiLayerNetExtend(MultiLayerNet):
    """MultiLayerNet with optional BatchNorm (after each hidden Affine) and Dropout (after
    each hidden activation). `dropout_ration` is the book's spelling; `dropout_ratio` is
    accepted too."""

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0, use_dropout=False,
                 dropout_ration=0.5, use_batchnorm=False, dropout_ratio=None):
        ratio = dropout_ration if dropout_ratio is None else dropout_ratio
        self._build(input_size, hidden_size_list, output_size, activation, weight_init_std,
                    weight_decay_lambda, use_dropout, ratio, use_batchnorm)

"""Chapter 7 SimpleConvNet: conv - relu - pool - affine - relu - affine - softmax."""

from collections import OrderedDict

import numpy as np

from .conv import Convolution, Pooling
from ..ch04_training.gradient import params_numerical_gradient
from ..evaluation import accuracy_of
from .im2col import conv_output_size
from ..ch06_training_techniques.initializers import weight_scale
from ..ch05_backprop.layers import Affine, Relu, SoftmaxWithLoss

_POOL = 2  # 2x2 max pooling with stride 2, as the book's network


class SimpleConvNet:
    def __init__(self, input_dim=(1, 28, 28),
                 conv_param={"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1},
                 hidden_size=100, output_size=10, weight_init_std=0.01):
        # The mutable default is the book's signature; it is only read, never modified.
        filter_num = conv_param["filter_num"]
        filter_size = conv_param["filter_size"]
        pad = conv_param["pad"]
        stride = conv_param["stride"]
        channels, height, width = input_dim
        conv_h = conv_output_size(height, filter_size, stride, pad)
        conv_w = conv_output_size(width, filter_size, stride, pad)
        # The same helper as the layers use, so odd conv outputs are floored as Pooling does
        # (the book's int(fn * (size/2)**2) would overcount them).
        pool_out = filter_num * conv_output_size(conv_h, _POOL, _POOL) \
            * conv_output_size(conv_w, _POOL, _POOL)

        fan_ins = (channels * filter_size * filter_size, pool_out, hidden_size)
        shapes = ((filter_num, channels, filter_size, filter_size),
                  (pool_out, hidden_size), (hidden_size, output_size))
        self.params = {}
        for i, (fan_in, shape) in enumerate(zip(fan_ins, shapes), start=1):
            scale = weight_scale(weight_init_std, fan_in)
            self.params[f"W{i}"] = scale * np.random.randn(*shape)
            self.params[f"b{i}"] = np.zeros(shape[0] if i == 1 else shape[1])

        p = self.params
        self.layers = OrderedDict()
        self.layers["Conv1"] = Convolution(p["W1"], p["b1"], stride, pad)
        self.layers["Relu1"] = Relu()
        self.layers["Pool1"] = Pooling(_POOL, _POOL, stride=_POOL)
        self.layers["Affine1"] = Affine(p["W2"], p["b2"])
        self.layers["Relu2"] = Relu()
        self.layers["Affine2"] = Affine(p["W3"], p["b3"])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t, batch_size=100):
        # Predicted in batches, as the book does, to bound the im2col buffer on large sets.
        scores = np.concatenate([self.predict(x[start:start + batch_size])
                                 for start in range(0, x.shape[0], batch_size)])
        return accuracy_of(scores, t)

    def numerical_gradient(self, x, t):
        return params_numerical_gradient(lambda: self.loss(x, t), self.params,
                                         ("W1", "b1", "W2", "b2", "W3", "b3"))

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for i, name in enumerate(("Conv1", "Affine1", "Affine2"), start=1):
            grads[f"W{i}"] = self.layers[name].dW
            grads[f"b{i}"] = self.layers[name].db
        return grads

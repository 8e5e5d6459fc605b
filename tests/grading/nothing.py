"""Notebooks that compute nothing, as source: every graded item is there and answers in the
right shape, but no layer computes its function and no network learns.

Each is what a student who wants points without doing the work could write against the
self-consistency checks: a forward that is a constant (its numerical gradient is zero, and
so is the backward) or the input itself (the backward passes dout on), a network whose
gradient() is zeros and whose predict() looks up the nearest sample gradient() was shown.
`module_of` runs one in a fresh module, for grading without the sandbox; the e2e scenario
builder writes the same sources into notebooks.
"""

from __future__ import annotations

import types

import numpy as np

# A network that never learns: gradient() hands back zeros and remembers the batch (each
# sample once); predict() answers with the label of the nearest remembered sample (8x8
# digits are easy for a nearest neighbour), a score row per sample; loss() is a constant.
MEMORISING_NET = '''
def _one_hot(t, n):
    t = np.asarray(t)
    return t if t.ndim == 2 else np.eye(n)[t.astype(int)]


class _Memoriser:
    def predict(self, x, train_flg=False):
        x = np.asarray(x, dtype=float).reshape(len(x), -1)
        n = self._n_out()
        seen = self.__dict__.get("seen")
        if not seen:
            return np.zeros((len(x), n))
        seen_x = np.array([np.frombuffer(key) for key in seen])
        seen_t = np.array(list(seen.values()))
        distance = (x ** 2).sum(axis=1)[:, None] - 2 * x @ seen_x.T + (seen_x ** 2).sum(axis=1)
        return seen_t[np.argmin(distance, axis=1)]

    def loss(self, x, t, train_flg=False):
        return 0.0

    def accuracy(self, x, t, batch_size=100):
        y = np.argmax(self.predict(x), axis=1)
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.mean(y == t))

    def gradient(self, x, t):
        x = np.asarray(x, dtype=float).reshape(len(x), -1)
        seen = self.__dict__.setdefault("seen", {})
        for row, answer in zip(x, _one_hot(t, self._n_out())):
            seen[row.tobytes()] = answer
        return {k: np.zeros_like(v) for k, v in self.params.items()}

    numerical_gradient = gradient

    def _n_out(self):
        last = sorted(k for k in self.params if k.startswith("b"))[-1]
        return len(self.params[last])
'''

CH05_CONSTANT = '''
import numpy as np


class MulLayer:
    def forward(self, x, y):
        self.shape = np.shape(x)
        return np.zeros(self.shape)

    def backward(self, dout):
        return np.zeros(self.shape), np.zeros(self.shape)


class AddLayer(MulLayer):
    pass


class Relu:
    def forward(self, x):
        self.shape = np.shape(x)
        return np.zeros(self.shape)

    def backward(self, dout):
        return np.zeros(np.shape(dout))


class Sigmoid(Relu):
    pass


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)

    def forward(self, x):
        self.shape = np.shape(x)
        return np.zeros((len(x), self.W.shape[1]))

    def backward(self, dout):
        return np.zeros(self.shape)


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.shape = np.shape(x)
        return 0.0

    def backward(self, dout=1):
        return np.zeros(self.shape)
''' + MEMORISING_NET + '''

class TwoLayerNet(_Memoriser):
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {"W1": weight_init_std * np.random.randn(input_size, hidden_size),
                       "b1": np.zeros(hidden_size),
                       "W2": weight_init_std * np.random.randn(hidden_size, output_size),
                       "b2": np.zeros(output_size)}
'''

# The identity: every forward hands its (first) input back, every backward passes dout on.
CH05_IDENTITY = '''
import numpy as np


class MulLayer:
    def forward(self, x, y):
        return x

    def backward(self, dout):
        return dout, dout


class AddLayer(MulLayer):
    pass


class Relu:
    def forward(self, x):
        return x

    def backward(self, dout):
        return dout


class Sigmoid(Relu):
    pass


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)

    def forward(self, x):
        return x

    def backward(self, dout):
        return dout


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.x = x
        return float(np.sum(x))

    def backward(self, dout=1):
        return np.ones_like(self.x)
''' + MEMORISING_NET + '''

class TwoLayerNet(_Memoriser):
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {"W1": weight_init_std * np.random.randn(input_size, hidden_size),
                       "b1": np.zeros(hidden_size),
                       "W2": weight_init_std * np.random.randn(hidden_size, output_size),
                       "b2": np.zeros(output_size)}
'''

CH07_CONSTANT = '''
import numpy as np


def _out(size, filter_size, stride, pad):
    return (size + 2 * pad - filter_size) // stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    oh, ow = _out(H, filter_h, stride, pad), _out(W, filter_w, stride, pad)
    return np.zeros((N * oh * ow, C * filter_h * filter_w))


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    return np.zeros(input_shape)


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)

    def forward(self, x):
        self.shape = x.shape
        FN, C, FH, FW = self.W.shape
        return np.zeros((x.shape[0], FN, _out(x.shape[2], FH, self.stride, self.pad),
                         _out(x.shape[3], FW, self.stride, self.pad)))

    def backward(self, dout):
        return np.zeros(self.shape)


class Pooling:
    def __init__(self, pool_h, pool_w, stride=2, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad

    def forward(self, x):
        self.shape = x.shape
        N, C, H, W = x.shape
        return np.zeros((N, C, _out(H, self.pool_h, self.stride, self.pad),
                         _out(W, self.pool_w, self.stride, self.pad)))

    def backward(self, dout):
        return np.zeros(self.shape)
''' + MEMORISING_NET + '''

class SimpleConvNet(_Memoriser):
    def __init__(self, input_dim=(1, 28, 28), conv_param=None, hidden_size=100,
                 output_size=10, weight_init_std=0.01):
        conv_param = conv_param or {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}
        fn, fs = conv_param["filter_num"], conv_param["filter_size"]
        pad, stride = conv_param["pad"], conv_param["stride"]
        side = _out(input_dim[1], fs, stride, pad)
        pooled = fn * (side // 2) * (side // 2)
        self.params = {"W1": weight_init_std * np.random.randn(fn, input_dim[0], fs, fs),
                       "b1": np.zeros(fn),
                       "W2": weight_init_std * np.random.randn(pooled, hidden_size),
                       "b2": np.zeros(hidden_size),
                       "W3": weight_init_std * np.random.randn(hidden_size, output_size),
                       "b3": np.zeros(output_size)}
'''

NOTHING = {"ch05_constant": ("ch05", CH05_CONSTANT), "ch05_identity": ("ch05", CH05_IDENTITY),
           "ch07_constant": ("ch07", CH07_CONSTANT)}


def module_of(source: str) -> types.ModuleType:
    """The source run in a fresh module, as a notebook's cells would define it."""
    module = types.ModuleType("student_submission")
    module.np = np
    exec(compile(source, "<student>", "exec"), module.__dict__)
    return module

"""Chapter 6 Batch Normalization and Dropout layers, with the book's conventions."""

import numpy as np

# The book writes 10e-7, which is 1e-6 (not 1e-7); kept so outputs match the book's code.
BN_EPS = 10e-7


class BatchNormalization:
    """Normalise each feature over the batch, then scale by gamma and shift by beta.

    Training uses the batch mean and (biased) variance and folds them into running_mean /
    running_var with running = momentum*running + (1-momentum)*batch; test mode uses the
    running statistics. 4-D conv input (N, C, H, W) is flattened to (N, C*H*W), as the book
    does, so every pixel position is its own feature and gamma/beta have C*H*W entries.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.running_mean = running_mean
        self.running_var = running_var
        self.input_shape = None
        self.xn = None
        self.inv_std = None
        self.dgamma = None
        self.dbeta = None
        self.train_flg = True

    def forward(self, x, train_flg=True):
        self.input_shape = x.shape
        self.train_flg = train_flg
        x2 = x.reshape(x.shape[0], -1)
        if self.running_mean is None:
            self.running_mean = np.zeros(x2.shape[1], dtype=x2.dtype)
            self.running_var = np.zeros(x2.shape[1], dtype=x2.dtype)
        if train_flg:
            mu = x2.mean(axis=0)
            var = x2.var(axis=0)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1 - m) * mu
            self.running_var = m * self.running_var + (1 - m) * var
        else:
            mu, var = self.running_mean, self.running_var
        self.inv_std = 1.0 / np.sqrt(var + BN_EPS)
        self.xn = (x2 - mu) * self.inv_std
        return (self.gamma * self.xn + self.beta).reshape(self.input_shape)

    def backward(self, dout):
        d2 = dout.reshape(dout.shape[0], -1)
        self.dbeta = d2.sum(axis=0)
        self.dgamma = (d2 * self.xn).sum(axis=0)
        dxn = d2 * self.gamma
        if not self.train_flg:
            # Running statistics are constants, so the layer is a plain affine map.
            return (dxn * self.inv_std).reshape(self.input_shape)
        # Batch statistics depend on every row, so dx subtracts the mean of dxn and the
        # projection of dxn onto xn: dx = inv_std * (dxn - mean(dxn) - xn*mean(dxn*xn)).
        dx = self.inv_std * (dxn - dxn.mean(axis=0) - self.xn * (dxn * self.xn).mean(axis=0))
        return dx.reshape(self.input_shape)


class Dropout:
    """Non-inverted dropout (the book's): train keeps each unit with probability
    1 - dropout_ratio without rescaling; test multiplies by (1 - dropout_ratio) instead."""

    def __init__(self, dropout_ratio=0.5, seed=None):
        self.dropout_ratio = dropout_ratio
        self.rng = np.random.default_rng(seed)
        self.mask = None
        self.train_flg = True

    def forward(self, x, train_flg=True):
        self.train_flg = train_flg
        if train_flg:
            self.mask = self.rng.random(x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        if not self.train_flg:
            return dout * (1.0 - self.dropout_ratio)
        return dout * self.mask

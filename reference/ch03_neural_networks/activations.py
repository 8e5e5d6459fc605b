"""Chapter 3 activation functions and the output-layer softmax."""

import numpy as np


def step_function(x):
    """1 where x > 0, else 0, as an int array (0-d for a scalar)."""
    return (np.asarray(x) > 0).astype(int)


def sigmoid(x):
    """1 / (1 + exp(-x)) without overflow for large |x|.

    exp is only ever taken of -|x| (at most 1), then the two algebraically equal forms
    1/(1+e^-x) and e^x/(1+e^x) are picked by sign, so neither branch can overflow.
    """
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(x):
    return np.maximum(0, x)


def identity_function(x):
    return x


def softmax(x):
    """Softmax along the last axis, so one sample (1-D) and a batch (N, C) both work.

    Subtracting the row maximum leaves the result unchanged (it cancels in the ratio) and
    keeps every exponent <= 0, so [1010, 1000, 990] does not overflow.
    """
    x = np.asarray(x)
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)

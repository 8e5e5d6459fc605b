"""Chapter 4 loss functions.

The Korean edition calls 0.5 * sum((y - t)**2) 'mean squared error' (평균 제곱 오차); the
Japanese original calls the same formula 'sum of squared error'. Both names are the same
function here, and neither divides by the number of elements.
"""

import numpy as np

# Keeps log() finite when the predicted probability of the answer is exactly 0.
DELTA = 1e-7


def mean_squared_error(y, t):
    return 0.5 * np.sum((np.asarray(y) - np.asarray(t)) ** 2)


sum_squared_error = mean_squared_error


def cross_entropy_error(y, t):
    """-mean over the batch of log(y[answer] + 1e-7).

    y is one sample (C,) or a batch (N, C); t is one-hot (same size as y) or class labels
    (a scalar or an (N,) int array).
    """
    y = np.asarray(y)
    t = np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    n = y.shape[0]
    if t.size == y.size:
        return -np.sum(t.reshape(y.shape) * np.log(y + DELTA)) / n
    return -np.sum(np.log(y[np.arange(n), t] + DELTA)) / n

"""Chapter 6 initial weight scales, with the book's definitions (n = fan-in only).

He: std = sqrt(2/n), for ReLU, which zeroes half the signal and so needs twice the variance.
Xavier: std = sqrt(1/n), the book's simplified Glorot scale for sigmoid/tanh.
"""

import numpy as np


def he_std(n_in):
    return float(np.sqrt(2.0 / n_in))


def xavier_std(n_in):
    return float(np.sqrt(1.0 / n_in))


def weight_scale(weight_init_std, n_in):
    """Map the book's weight_init_std argument to a standard deviation for a layer of fan-in n_in.

    'relu'/'he' -> He scale, 'sigmoid'/'xavier' -> Xavier scale, a number -> itself.
    """
    if isinstance(weight_init_std, str):
        name = weight_init_std.lower()
        if name in ("relu", "he"):
            return he_std(n_in)
        if name in ("sigmoid", "xavier"):
            return xavier_std(n_in)
        raise ValueError(f"unknown weight_init_std {weight_init_std!r}")
    return float(weight_init_std)

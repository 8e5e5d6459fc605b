"""Chapter 2 logic gates as single perceptrons, and XOR as a two-layer one."""

import numpy as np


def _fire(x1, x2, w, b):
    return int(np.sum(np.array([x1, x2]) * w) + b > 0)


def AND(x1, x2):
    return _fire(x1, x2, np.array([0.5, 0.5]), -0.7)


def NAND(x1, x2):
    # AND with every sign flipped: fires unless both inputs are on.
    return _fire(x1, x2, np.array([-0.5, -0.5]), 0.7)


def OR(x1, x2):
    return _fire(x1, x2, np.array([0.5, 0.5]), -0.2)


def XOR(x1, x2):
    # Not linearly separable, so a second layer is needed: XOR = AND(NAND, OR).
    return AND(NAND(x1, x2), OR(x1, x2))

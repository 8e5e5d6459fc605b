"""What the book's networks share besides their layers: accuracy, and the numerical
gradient of the loss for every parameter (the check that backprop is right)."""

import numpy as np

from .gradient import numerical_gradient


def accuracy_of(scores, t):
    """Share of samples whose highest score is the answer t (labels, or one-hot rows)."""
    predicted = np.argmax(scores, axis=-1)
    t = np.asarray(t)
    if t.ndim == predicted.ndim + 1:
        t = np.argmax(t, axis=-1)
    return float(np.mean(predicted == t))


def params_numerical_gradient(loss, params, keys):
    """{key: d loss() / d params[key]} by central differences.

    `loss` takes no argument: it reads the parameters, which numerical_gradient perturbs
    in place, as the book's `loss_W = lambda W: net.loss(x, t)` does.
    """
    return {k: numerical_gradient(lambda _: loss(), params[k]) for k in keys}

"""The chapter-4 helpers a composite's own value is made of (autograder.grading.own.Helper),
each asked on inputs of its own shaped like those the composite hands it. Not part of the
chapter's reference items, so publishing never shows it."""

import numpy as np

from autograder.grading.own import Helper
from reference.ch03_neural_networks.activations import softmax
from reference.ch03_neural_networks.own_helpers import one_hot_like
from reference.ch04_training.gradient import numerical_gradient
from reference.ch04_training.hints import cross_entropy_variants
from reference.ch04_training.losses import cross_entropy_error


def cross_entropy_helper(student, t) -> Helper:
    """cross_entropy_error on softmax outputs and one-hot answers shaped like one-hot `t`."""
    def draw(rng):
        return softmax(rng.normal(size=np.shape(t))), one_hot_like(rng, t)
    return Helper(lambda y, t: student.cross_entropy_error(y, t), cross_entropy_error, draw,
                  variants=cross_entropy_variants)


def _bowl(center):
    def f(x):
        return float(np.sum((x - center) ** 2 + np.sin(x)))
    return f


def numerical_gradient_helper(student, x) -> Helper:
    """numerical_gradient(f, x) at points shaped like `x`; called through `inplace`, as
    the book's loops hand it the very array they update."""
    def draw(rng):
        return _bowl(rng.normal(size=np.shape(x))), rng.normal(size=np.shape(x))
    return Helper(lambda f, x: student.inplace.numerical_gradient(f, np.array(x)),
                  lambda f, x: numerical_gradient(f, np.array(x)), draw)

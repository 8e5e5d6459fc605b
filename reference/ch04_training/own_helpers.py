"""The chapter-4 helpers a composite's own value is made of (autograder.grading.own.Helper),
each with inputs of its own like those a network or a descent loop hands it. Not part of
the chapter's reference items, so publishing never shows it."""

import numpy as np

from autograder.grading.own import Helper
from reference.ch03_neural_networks.activations import softmax
from reference.ch03_neural_networks.own_helpers import one_hot
from reference.ch04_training.gradient import numerical_gradient
from reference.ch04_training.hints import cross_entropy_variants
from reference.ch04_training.losses import cross_entropy_error


def _probabilities(rng):
    """A batch of softmax outputs and one-hot answers, as a network's loss hands them."""
    return softmax(rng.normal(size=(4, 3))), one_hot(rng, 4, 3)


def cross_entropy_helper(student) -> Helper:
    return Helper(lambda y, t: student.cross_entropy_error(y, t), cross_entropy_error,
                  _probabilities, variants=cross_entropy_variants)


def _bowl(center):
    def f(x):
        return float(np.sum((x - center) ** 2 + np.sin(x)))
    return f


def _point(rng):
    return _bowl(rng.normal(size=3)), rng.normal(size=3)


def numerical_gradient_helper(student) -> Helper:
    """numerical_gradient(f, x) on a 1-D x; called through `inplace`, as the book's loops
    hand it the very array they update."""
    return Helper(lambda f, x: student.inplace.numerical_gradient(f, np.array(x)),
                  lambda f, x: numerical_gradient(f, np.array(x)), _point)

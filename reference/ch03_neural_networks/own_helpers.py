"""The chapter-3 helpers a composite's own value is made of (autograder.grading.own.Helper),
each with inputs of its own like those a network hands it. Not part of the chapter's
reference items, so publishing never shows it."""

import numpy as np

from autograder.grading.own import Helper
from reference.ch03_neural_networks.activations import sigmoid, softmax
from reference.ch03_neural_networks.hints import sigmoid_variants, softmax_variants


def _scores(rng):
    return (rng.normal(scale=2.0, size=(5, 3)),)


def sigmoid_helper(student, *, graded: bool) -> Helper:
    return Helper(lambda x: student.sigmoid(x), sigmoid, _scores, graded, sigmoid_variants)


def softmax_helper(student, *, graded: bool) -> Helper:
    return Helper(lambda x: student.softmax(x), softmax, _scores, graded, softmax_variants)


def one_hot(rng, n: int | None, classes: int) -> np.ndarray:
    """One-hot answers for n samples (None: one sample, a 1-D row)."""
    return np.eye(classes)[rng.integers(classes, size=n)]

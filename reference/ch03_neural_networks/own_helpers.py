"""The chapter-3 helpers a composite's own value is made of (autograder.grading.own.Helper),
each asked on inputs of its own shaped like those the composite hands it (a single sample
stays 1-D): a helper that only fails on a shape the composite never used is not charged
again through the composite. Not part of the chapter's reference items, so publishing
never shows it."""

import numpy as np

from autograder.grading.own import Helper
from reference.ch03_neural_networks.activations import sigmoid, softmax
from reference.ch03_neural_networks.hints import sigmoid_variants, softmax_variants


def _like(example):
    shape = np.shape(example)
    return lambda rng: (rng.normal(scale=2.0, size=shape),)


def sigmoid_helper(student, like, *, graded: bool) -> Helper:
    """sigmoid on scores shaped like `like`."""
    return Helper(lambda x: student.sigmoid(x), sigmoid, _like(like), graded, sigmoid_variants)


def softmax_helper(student, like, *, graded: bool) -> Helper:
    """softmax on scores shaped like `like`."""
    return Helper(lambda x: student.softmax(x), softmax, _like(like), graded, softmax_variants)


def one_hot_like(rng, t) -> np.ndarray:
    """One-hot answers of t's shape and dtype ((C,) for one sample, (N, C) for a batch)."""
    t = np.asarray(t)
    rows = rng.integers(t.shape[-1], size=t.shape[:-1])
    return np.eye(t.shape[-1], dtype=t.dtype)[rows]

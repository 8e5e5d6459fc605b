"""Dropout (section 6.4.3): Dropout(dropout_ratio=0.5), forward(x, train_flg=True), backward(dout).

The mask is random, so training is checked by its properties rather than exact values:
each unit is dropped or passed on, about `ratio` of a large input is dropped, a new mask
is drawn per forward, and backward is the derivative of the forward it follows (the same
mask and scale). The book's dropout is not inverted (test time scales by 1 - ratio);
inverted dropout (training scales kept units by 1 / (1 - ratio), test time passes x) is
accepted as long as training and test agree. numpy's global generator is seeded where the
code runs first, so a regrade draws the same masks.
"""

import numpy as np
import pytest

from autograder.feedback import msg
from autograder.grading.checks import assert_close, assert_shape, assert_true, note
from autograder.grading.resident import seed_numpy

pytestmark = pytest.mark.item("Dropout")

RATIO = 0.3
# The dropped share of 20,000 units has a standard deviation of sqrt(0.3 * 0.7 / 20000)
# = 0.0032 around the ratio; 0.03 is nine of those, yet far from a mask that keeps
# `ratio` instead of dropping it (0.7) or ignores the ratio (0.5).
SHARE_ATOL = 0.03


def _signed(rng, shape):
    """Inputs of magnitude [1, 2]: no zeros, so y / x tells what happened to each unit."""
    return rng.uniform(1.0, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def _scale_of(x, y):
    """The one factor kept units were multiplied by (y / x where y != 0), else None."""
    y = np.asarray(y, dtype=np.float64)
    if y.shape != x.shape:
        return None
    factors = (y / x)[y != 0]
    if factors.size == 0 or not np.allclose(factors, factors[0], rtol=1e-9, atol=0.0):
        return None
    return float(factors[0])


def _train_forward(student, rng, shape, ratio=RATIO):
    seed_numpy(student, 0)
    drop = student.Dropout(ratio)
    x = _signed(rng, shape)
    return drop, x, drop.forward(x)


def check_drops_or_keeps(x, y, ratio, call):
    assert_shape(y, x.shape, call=call)
    scale = _scale_of(x, y)
    book_or_inverted = scale is not None and (np.isclose(scale, 1.0)
                                              or np.isclose(scale, 1 / (1 - ratio)))
    assert_true(book_or_inverted, call=call, returned=y,
                what=f"every output is 0 or x (inverted dropout: 0 or x / (1 - {ratio}))")


@pytest.mark.points(2)
def test_train_forward_drops_or_keeps(student, rng):
    """in training each unit is either dropped (0) or passed on as it is (x)"""
    drop, x, y = _train_forward(student, rng, (40, 50))
    check_drops_or_keeps(x, y, RATIO, call=f"Dropout({RATIO}).forward(x)")


@pytest.mark.points(2)
def test_dropped_share_is_the_ratio(student, rng):
    """about dropout_ratio of the units are dropped (over 20,000 units), not 1 - dropout_ratio"""
    drop, x, y = _train_forward(student, rng, (200, 100))
    call = f"Dropout({RATIO}).forward(x)"
    assert_shape(y, x.shape, call=call)
    share = float(np.mean(np.asarray(y) == 0))
    wrong = {"dropout_mask_inverted": 1 - RATIO}
    assert_close(share, RATIO, call=f"the share of zeros in {call}", inputs={"x": x},
                 rtol=0.0, atol=SHARE_ATOL,
                 variants={h: share for h, v in wrong.items() if abs(share - v) <= SHARE_ATOL})


@pytest.mark.points(3)
def test_backward_uses_the_forward_mask(student, rng):
    """backward(dout) passes dout through the units the last forward kept (same mask, same scale)"""
    drop, x, y = _train_forward(student, rng, (30, 40))
    y = np.asarray(y, dtype=np.float64)
    dout = _signed(rng, x.shape)
    dx = drop.backward(dout)
    # The forward was y = x * s with s fixed by the mask: its derivative is dout * s.
    expected = dout * (y / x)
    hints = {}
    got = np.asarray(dx, dtype=np.float64) if dx is not None else None
    if got is not None and got.shape == y.shape:
        if np.any((got == 0) != (y == 0)):
            hints["dropout_new_mask_in_backward"] = got
        elif not np.allclose(got, expected) and np.allclose(got, dout * (y != 0)):
            hints["dropout_backward_unscaled"] = got
    assert_close(dx, expected, call="drop.backward(dout) after drop.forward(x)",
                 inputs={"x": x, "dout": dout}, variants=hints)


def test_new_mask_each_forward(student, rng):
    """every training forward draws a new mask"""
    drop, x, first = _train_forward(student, rng, (100, 100))
    second = drop.forward(x)
    assert_true(not np.array_equal(np.asarray(first) == 0, np.asarray(second) == 0),
                call="drop.forward(x) twice", what="the two calls drop different units")


@pytest.mark.points(2)
def test_test_mode_matches_training_on_average(student, reference, rng):
    """forward(x, train_flg=False) returns x * (1 - dropout_ratio), the training output's average"""
    drop, x, y = _train_forward(student, rng, (20, 30))
    inverted = _scale_of(x, y) is not None and np.isclose(_scale_of(x, y), 1 / (1 - RATIO))
    book = reference.Dropout(RATIO).forward(x, False)
    # Inverted dropout already scaled in training, so its test-time output is x itself.
    expected, wrong = (x, {"dropout_inverted_test_scaled": book}) if inverted \
        else (book, {"dropout_test_not_scaled": x})
    assert_close(drop.forward(x, False), expected, call=f"Dropout({RATIO}).forward(x, False)",
                 inputs={"x": x}, variants=wrong)
    if inverted:
        note(msg("note.dropout_inverted"))


def test_any_shape(student, rng):
    """Dropout works on a 1-D vector and on a 4-D conv batch, and returns the same shape"""
    for shape in ((500,), (6, 3, 4, 4)):
        drop, x, y = _train_forward(student, rng, shape)
        check_drops_or_keeps(x, y, RATIO,
                             call=f"Dropout({RATIO}).forward(x) with x.shape = {shape}")


def test_input_left_unchanged(student, rng):
    """forward(x) returns a new array and leaves x as it was"""
    seed_numpy(student, 0)
    x = _signed(rng, (10, 8))
    given = x.copy()
    student.inplace.Dropout(RATIO).forward(given)
    assert_close(given, x, call=f"x after Dropout({RATIO}).forward(x)", inputs={"x": x})

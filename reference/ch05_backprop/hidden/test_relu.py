"""Relu: the ReLU layer, forward max(0, x) and a backward masked where x <= 0 (section 5.5.1).

The book's backward writes into dout (`dout[self.mask] = 0`); that is accepted here, as
the book does it. Its forward copies x before masking, so forward must leave x alone.
"""

import numpy as np
import pytest

from autograder.feedback import msg
from autograder.grading import tolerances as tol
from autograder.grading.checks import (CheckFailed, assert_close, assert_grad_close,
                                       assert_restored)
from autograder.grading.gradcheck import assert_own_grad_close, numerical_grad_of
from reference.ch05_backprop.hints import relu_backward_variants

pytestmark = pytest.mark.item("Relu")


def _away_from_zero(rng, shape):
    """|x| >= 0.1, so no numerical step crosses the kink at 0."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)


@pytest.mark.points(2)
def test_forward_vector(student, reference, rng):
    """forward(x) keeps positive values and turns negative ones and 0 into 0, on a 1-D array"""
    x = np.concatenate([rng.normal(size=6), [0.0, -0.0]])
    assert_close(student.Relu().forward(x), reference.Relu().forward(x),
                 call="Relu().forward(x)", inputs={"x": x})


@pytest.mark.points(1)
def test_forward_batch(student, reference, rng):
    """forward works element by element on a batch (N, D) and keeps its shape"""
    x = rng.normal(size=(4, 5))
    assert_close(student.Relu().forward(x), reference.Relu().forward(x),
                 call="Relu().forward(x)", inputs={"x": x})


@pytest.mark.points(1)
def test_forward_leaves_input_unchanged(student, rng):
    """forward returns a new array and leaves x as it was (the book copies x first)"""
    x = rng.normal(size=(3, 4))
    before = x.copy()
    student.inplace.Relu().forward(x)
    try:
        assert_restored(before, x, call="Relu().forward(x)")
    except CheckFailed as failed:
        raise CheckFailed(failed.feedback, msg("hint.relu_forward_in_place")) from None


@pytest.mark.points(3)
def test_backward_matches_reference(student, reference, rng):
    """backward(dout) passes dout where x > 0 and 0 where x <= 0, for the last forward's x"""
    x, dout = _away_from_zero(rng, (4, 5)), rng.normal(size=(4, 5))
    layer, ref = student.Relu(), reference.Relu()
    layer.forward(x)
    ref.forward(x)
    assert_grad_close(layer.backward(dout), ref.backward(dout), call="layer.backward(dout)",
                      inputs={"x": x, "dout": dout}, variants=relu_backward_variants(x, dout))


@pytest.mark.points(2)
def test_backward_matches_own_forward(student, reference, rng):
    """backward agrees with the numerical gradient of your own forward (a forward that computes ReLU's job, not a constant or x itself)"""
    x, dout = _away_from_zero(rng, (3, 4)), rng.normal(size=(3, 4))
    layer = student.Relu()
    layer.forward(x)
    dx = layer.backward(dout)
    probe, ref = student.Relu(), reference.Relu()
    ref.forward(x)
    assert_own_grad_close(dx, numerical_grad_of(probe.forward, x, dout), ref.backward(dout.copy()),
                          call="layer.backward(dout) vs numerical d forward / dx", dout=dout,
                          inputs={"x": x, "dout": dout}, threshold=tol.NUMERICAL_GRAD_REL_TOL,
                          variants=relu_backward_variants(x, dout))


@pytest.mark.points(1)
def test_backward_uses_last_forward(student, reference, rng):
    """after two forward calls, backward masks with the second call's x"""
    x1, dout = _away_from_zero(rng, 8), rng.normal(size=8)
    # Half of the signs flip between the calls, so the stale mask gives a different answer.
    x2 = np.abs(_away_from_zero(rng, 8)) * np.sign(x1) * np.tile([1.0, -1.0], 4)
    layer, ref = student.Relu(), reference.Relu()
    layer.forward(x1)
    layer.forward(x2)
    ref.forward(x2)
    stale = {"relu_stale_mask": np.where(x1 <= 0, 0.0, dout)}
    assert_grad_close(layer.backward(dout), ref.backward(dout), call="layer.backward(dout)",
                      inputs={"x (1st call)": x1, "x (2nd call)": x2, "dout": dout},
                      variants={**relu_backward_variants(x2, dout), **stale})

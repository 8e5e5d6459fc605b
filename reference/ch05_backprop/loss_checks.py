"""The check of a softmax cross-entropy loss on confident scores, which chapter 5's
SoftmaxWithLoss and chapter 7's SimpleConvNet.loss share. Not part of the chapter's
reference items, so publishing never shows it."""

import numpy as np

from autograder.feedback import msg
from autograder.grading import tolerances as tol
from autograder.grading.checks import CheckFailed, assert_close, note
from reference.ch05_backprop.hints import confident_loss_variants, exact_softmax_loss


def assert_confident_loss(actual, expected, *, x, t, call: str, inputs: dict) -> None:
    """The loss on confident scores `x` (labels `t`) is the book's (softmax less its
    maximum, 1e-7 inside the log), or the exact log-softmax loss, accepted with a note;
    nan and inf are the classic misses (no maximum subtracted, no 1e-7)."""
    try:
        assert_close(actual, expected, call=call, inputs=inputs, rtol=tol.LOSS_RTOL,
                     variants=confident_loss_variants(x, t))
    except CheckFailed:
        try:
            exact = bool(np.isclose(float(np.asarray(actual, dtype=np.float64)),
                                    exact_softmax_loss(x, t), rtol=tol.LOSS_RTOL))
        except (TypeError, ValueError):
            exact = False
        if not exact:
            raise
        note(msg("note.softmax_exact_loss"))

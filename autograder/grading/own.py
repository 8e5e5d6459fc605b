"""A composite item judged against the student's own helpers too, so one mistake costs once.

simpleNet.loss is cross_entropy_error(softmax(predict(x)), t). A cross_entropy_error
without the batch mean makes the loss of a batch wrong too, although that mistake is
already charged by cross_entropy_error's own tests. A composite's test therefore passes
when its answer equals the reference's, or else what the student's own helpers give on
the same inputs; the helpers are judged by their own tests. When the answer matches
neither, the failure shown is the one against the reference, with its hints.

The same idea for a whole network is resident.params_numerical_grad: the numerical
gradient of the student's own loss with respect to its own parameters.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..sandbox.errors import StudentRaised
from .checks import CheckFailed
from .student import ItemUnavailable

# What computing a value with the student's helpers may raise when a helper is missing,
# raises, or returns something the composition cannot use: then there is no own value.
# Time limits and crashes are not caught: they are the test's outcome.
_NO_OWN_VALUE = (AttributeError, ItemUnavailable, StudentRaised, ValueError, TypeError,
                 IndexError, KeyError)


def own_value(compute: Callable[[], object]):
    """compute() (which calls the student's helpers), or None when it cannot be had."""
    try:
        value = compute()
        array = np.asarray(value, dtype=np.float64)
    except _NO_OWN_VALUE:
        return None
    # A nan or inf agrees with nothing: two broken computations that both give nan are
    # not evidence that the composite is right.
    return value if array.size and np.all(np.isfinite(array)) else None


def assert_reference_or_own(check, actual, expected, own: Callable[[], object], **kwargs):
    """`check(actual, expected, **kwargs)` (assert_close or assert_grad_close); when that
    fails, `actual` still passes if it agrees with `own()`, the value the student's own
    helpers give. Otherwise the failure against the reference is raised."""
    try:
        return check(actual, expected, **kwargs)
    except CheckFailed:
        mine = own_value(own)
        if mine is not None:
            quiet = {k: v for k, v in kwargs.items() if k != "variants"}
            try:
                return check(actual, mine, **quiet)
            except CheckFailed:
                pass
        raise

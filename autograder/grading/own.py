"""A composite item judged against the student's own helpers too, so one mistake costs once.

simpleNet.loss is cross_entropy_error(softmax(predict(x)), t). A cross_entropy_error
without the batch mean makes the loss of a batch wrong too, although that mistake is
already charged by cross_entropy_error's own tests. A composite's test therefore passes
when its answer equals the reference's, or else what the student's own helpers give on
the same inputs; the helpers are judged by their own tests. When the answer matches
neither, the failure shown is the one against the reference, with its hints.

Agreeing with one's own helpers pays only when the helpers do a job of their own, and
the agreement is not something the composite arranged:
- each helper (`Helper`) is called first, fresh, on inputs of its own drawn here: it
  must give the reference's answers, or one classic miss of its own (hints.py), or (a
  helper graded in this assignment, whose slip its own tests charge) be a function of
  its inputs: the same answer for the same
  inputs, different answers where the reference's differ. A helper that replays the
  answer the composite just gave, or a constant, is neither.
- with `again`, the composite and the helpers are compared once more on a second input
  set drawn after the first comparison, the helpers asked before the composite, so a
  helper cannot hand back an answer the composite left for it.

The same idea for a whole network is resident.params_numerical_grad: the numerical
gradient of the student's own loss with respect to its own parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..sandbox.errors import StudentRaised
from . import tolerances as tol
from .checks import CheckFailed
from .student import ItemUnavailable

# What computing a value with the student's helpers may raise when a helper is missing,
# raises, or returns something the composition cannot use: then there is no own value.
# Time limits and crashes are not caught: they are the test's outcome.
_NO_OWN_VALUE = (AttributeError, ItemUnavailable, StudentRaised, ValueError, TypeError,
                 IndexError, KeyError)

# The helpers' own inputs come from a generator of their own, seeded, so a regrade asks
# the same questions and the test's own random stream is not disturbed.
HELPER_SEED = 20240613


@dataclass(frozen=True)
class Helper:
    """A student helper a composite's own value is made of.

    `mine`, `reference`: the student's and the reference's function; `draw(rng)`: a tuple
    of arguments of its own, like those the composite hands it; `graded`: the helper is
    an item of this assignment, so a slip of its own is charged by its tests; `variants`:
    what its classic misses give on those arguments (hints.py), the book's own among them
    (chapter 3's softmax has no axis): a helper that gives one of these is an honest one."""
    mine: Callable
    reference: Callable
    draw: Callable[[np.random.Generator], tuple]
    graded: bool = True
    variants: Callable[..., dict] | None = None


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


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol.VARIANT_RTOL, atol=tol.VARIANT_ATOL))


def helper_does_its_job(helper: Helper, rng: np.random.Generator) -> bool:
    """Asked on two fresh input sets and the first again, the helper gives the reference's
    answers, or (graded) answers that are a function of its inputs (see the module)."""
    first, second = helper.draw(rng), helper.draw(rng)
    answers = []
    for args in (first, second, first):
        value = own_value(lambda args=args: helper.mine(*args))
        if value is None:
            return False
        answers.append(np.asarray(value, dtype=np.float64))
    want = [np.asarray(helper.reference(*args), dtype=np.float64) for args in (first, second)]
    if all(_same(a, w) for a, w in zip(answers, want + want[:1])):
        return True
    if _same(answers[0], answers[2]) and _classic_miss(helper, answers[:2], (first, second)):
        return True  # honest, and charged at its item (or the book's own way)
    if not helper.graded:
        return False
    repeats = _same(answers[0], answers[2])
    follows_input = _same(want[0], want[1]) or not _same(answers[0], answers[1])
    return repeats and follows_input


def _classic_miss(helper: Helper, answers, inputs) -> bool:
    """The same classic miss of the helper's (its `variants`) on every input set."""
    if helper.variants is None:
        return False
    tables = [helper.variants(*args) for args in inputs]

    def gives(answer, table, key):
        try:
            return key in table and _same(answer, np.asarray(table[key], dtype=np.float64))
        except (TypeError, ValueError):
            return False

    return any(all(gives(a, table, key) for a, table in zip(answers, tables)) for key in tables[0])


def assert_reference_or_own(check, actual, expected, own: Callable[[], object], *,
                            helpers: tuple[Helper, ...] = (),
                            again: Callable[[np.random.Generator], tuple] | None = None,
                            **kwargs):
    """`check(actual, expected, **kwargs)` (assert_close or assert_grad_close); when that
    fails, `actual` still passes if every one of `helpers` does its job and `actual`
    agrees with `own()`, the value the student's own helpers give, and (with `again`)
    the composite agrees with them on a second input set: `again(rng)` returns the pair
    (own, composite) of thunks on inputs drawn from rng; own is called first. Otherwise
    the failure against the reference is raised."""
    try:
        return check(actual, expected, **kwargs)
    except CheckFailed:
        if _agrees_with_own(check, actual, own, helpers, again, kwargs):
            return np.asarray(actual)
        raise


def _agrees_with_own(check, actual, own, helpers, again, kwargs) -> bool:
    rng = np.random.default_rng(HELPER_SEED)
    # The helpers are asked before own(): whatever state the composite left in them is
    # overwritten by calls it did not make.
    if not all(helper_does_its_job(helper, rng) for helper in helpers):
        return False
    quiet = {k: v for k, v in kwargs.items() if k != "variants"}
    if not _composite_agrees(check, lambda: actual, own, quiet):
        return False
    if again is None:
        return True
    mine, composite = again(rng)
    return _composite_agrees(check, composite, mine, quiet)


def _composite_agrees(check, composite, own, kwargs) -> bool:
    """own() first, then composite(): do they pass check?"""
    mine = own_value(own)
    if mine is None:
        return False
    try:
        check(composite(), mine, **kwargs)
    except (CheckFailed, *_NO_OWN_VALUE):
        return False
    return True

"""Comparisons the hidden tests make, with failure messages a student can act on.

Every check raises CheckFailed (an AssertionError) carrying a Feedback: what was called,
with what inputs, what came back, what was expected and by how much it missed; when the
answer matches a known wrong variant (see hints.py) the classic miss is its `hint`. Both
are data (catalog keys and facts), rendered by the report in the student's language.
A checker never raises anything else, whatever the student returned.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from contextlib import contextmanager

import numpy as np

from ..feedback import Feedback, Message, Part, msg
from . import tolerances as tol
from .describe import at_index, failure_report, worst_index
from .student import kind_of


class CheckFailed(AssertionError):
    """A wrong answer; `feedback` and `hint` go to the TestOutcome as they are. A bare
    part is the headline of a feedback with nothing more to show."""

    def __init__(self, feedback: Feedback | Part, hint: Message | None = None):
        self.feedback = feedback if isinstance(feedback, Feedback) else Feedback(feedback)
        self.hint = hint
        # The exception's own text is for a developer's traceback: the key, in no language.
        super().__init__(self.feedback.headline)


# --- what the assignment accepts in place of a float64 ndarray ----------------------
# Set for the length of one hidden-suite run from the assignment's [checks] table, so
# hidden tests need not repeat the policy in every call.
_ACCEPT = contextvars.ContextVar("accept", default={"allow_list": True, "allow_float32": True})


@contextmanager
def accepting(**policy):
    """Within this block, assert_close/assert_grad_close default to `policy`."""
    token = _ACCEPT.set({**_ACCEPT.get(), **policy})
    try:
        yield
    finally:
        _ACCEPT.reset(token)


# --- notes a passing test carries ----------------------------------------------------
# An answer accepted in a form the book does not use (a list, float32, the other Nesterov
# order, inverted dropout) passes, and the student is told so. The plugin collects the
# notes of each test's call phase.
_NOTES: contextvars.ContextVar[list[Part] | None] = contextvars.ContextVar("notes", default=None)


@contextmanager
def collecting_notes():
    """Within this block, note() appends to the list this yields."""
    notes: list[Part] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def note(part: Part) -> None:
    """Tell the student something about an answer that passed (a catalog message)."""
    bucket = _NOTES.get()
    if bucket is not None and part not in bucket:
        bucket.append(part)


def _policy(allow_list: bool | None, allow_float32: bool | None) -> dict[str, bool]:
    """The call's own choice where it made one, else the assignment's [checks] policy."""
    current = _ACCEPT.get()
    return {"allow_list": current["allow_list"] if allow_list is None else allow_list,
            "allow_float32": current["allow_float32"] if allow_float32 is None else allow_float32}


# --- turning a return value into a comparable array ----------------------------------
# A student's value is converted to a real ndarray before anything about it is read: an
# object (a sandbox Handle, or any class with `shape` and `dtype` attributes or an
# `__array__`) is refused by its type, never asked for its shape.

# Values that are data, not objects: the sandbox hands these back as decoded copies.
_SCALARS = frozenset({bool, int, float, complex, str, bytes, dict, type(None)})
_SEQUENCES = frozenset({list, tuple})


def _kind_name(value) -> str:
    return "None" if value is None else kind_of(value)


def _foreign(value):
    """The first part of `value` that is neither data nor an array, or None if there is none.

    Lists and tuples are walked (without recursion); no attribute of anything is read."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if type(item) in _SEQUENCES:
            if id(item) not in seen:  # a list holding itself is walked once
                seen.add(id(item))
                stack.extend(item)
        elif type(item) not in _SCALARS and not isinstance(item, (np.ndarray, np.generic)):
            return item
    return None


def _plain_array(actual, *, call: str, allow_list: bool, variants=None,
                 **report) -> tuple[np.ndarray, list[Part]]:
    """The student's value as a base-class ndarray (any dtype), and the notes on accepting it.

    Refuses None, objects, lists when `allow_list` is false, and ragged lists, each with
    its own message; `report` (inputs, expected) goes into the failure message."""
    def fail(key, hint=None, **fields):
        raise CheckFailed(failure_report(msg(key, call=call, **fields), returned=actual, **report), hint)

    if actual is None:
        fail("grading.returned_none")
    foreign = _foreign(actual)
    if foreign is actual:
        fail("grading.not_numeric", kind=_kind_name(actual))
    if foreign is not None:
        fail("grading.not_numeric", kind=f"{_kind_name(actual)} of {_kind_name(foreign)}")
    if type(actual) in (dict, str, bytes):
        fail("grading.not_numeric", kind=_kind_name(actual))
    try:
        # np.asarray of an ndarray subclass is a base-class view: its overrides are not asked.
        arr = np.asarray(actual)
    except (ValueError, TypeError, RecursionError):  # ragged, or a list holding itself
        fail("grading.not_numeric", kind=_kind_name(actual))
    notes = []
    if type(actual) in _SEQUENCES:
        if not allow_list:
            fail("grading.list_refused", hint=match_variant(arr, variants))
        notes.append(msg("grading.accepted_list"))
    return arr, notes


def _to_array(actual, expected: np.ndarray, *, call, inputs, allow_list, allow_float32,
              variants):
    """Returns (array, notes, float32) or raises CheckFailed with the precise reason."""
    arr, notes = _plain_array(actual, call=call, allow_list=allow_list, inputs=inputs,
                              expected=expected, variants=variants)

    def fail(key, **fields):
        hint = match_variant(arr, variants) if variants else None
        raise CheckFailed(failure_report(msg(key, call=call, **fields), inputs=inputs,
                                  returned=actual, expected=expected), hint)

    if arr.dtype.kind not in "biuf":
        fail("grading.not_numeric", kind=f"{_kind_name(actual)} ({arr.dtype})")
    single = arr.dtype.kind == "f" and arr.dtype.itemsize < 8 and expected.dtype.itemsize >= 8
    if single:
        if not allow_float32:
            fail("grading.float32_refused", dtype=str(arr.dtype))
        notes.append(msg("grading.accepted_float32", dtype=str(arr.dtype)))
    if expected.ndim == 0 and arr.size == 1:
        arr = arr.reshape(())  # np.float64 vs. a 1-element array is not the lesson here
    if arr.shape != expected.shape:
        fail("grading.wrong_shape", got=str(arr.shape), want=str(expected.shape))
    return arr, notes, single


# --- hints --------------------------------------------------------------------------

def match_variant(actual, variants: Mapping[str, object] | None) -> Message | None:
    """The hint of the first known wrong variant `actual` agrees with, else None."""
    if not variants or _foreign(actual) is not None:
        return None  # an object is never converted, not even to look for a hint
    try:
        arr = np.asarray(actual, dtype=np.float64)
    except (ValueError, TypeError):
        return None
    for key, wrong in variants.items():
        try:
            wrong = np.asarray(wrong, dtype=np.float64)
        except (ValueError, TypeError):
            continue
        if wrong.size == arr.size and wrong.size and (wrong.shape == arr.shape or wrong.ndim == 0) \
                and np.allclose(arr.reshape(wrong.shape), wrong, rtol=tol.VARIANT_RTOL,
                                atol=tol.VARIANT_ATOL, equal_nan=True):
            return msg(f"hint.{key}")
    return None


def _generic_hint(arr: np.ndarray, expected: np.ndarray) -> Message | None:
    if arr.dtype.kind in "iu" and expected.dtype.kind == "f":
        return msg("hint.int_dtype")
    return None


# --- the checks ---------------------------------------------------------------------

def _errors(arr: np.ndarray, expected: np.ndarray, rtol: float, atol: float):
    """max abs error, max rel error, and the index that violates the tolerance the most."""
    a = arr.astype(np.float64)
    e = expected.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - e)
        same = (a == e) | (np.isnan(a) & np.isnan(e))  # inf == inf differs by nan otherwise
        diff = np.where(same, 0.0, np.where(np.isnan(diff), np.inf, diff))
        rel = diff / np.maximum(np.abs(e), np.finfo(np.float64).tiny)
        excess = diff / (atol + rtol * np.abs(e))
    excess = np.where(np.isnan(excess), np.inf, excess)
    worst = worst_index(excess) if e.ndim else ()
    return float(np.max(diff)), float(np.max(rel)), worst, bool(np.all(excess <= 1.0))


def assert_close(actual, expected, *, call: str, inputs=None, rtol: float = tol.RTOL,
                 atol: float = tol.ATOL, allow_list: bool | None = None,
                 allow_float32: bool | None = None,
                 variants: Mapping[str, object] | None = None) -> np.ndarray:
    """Student value `actual` equals reference value `expected` within rtol/atol.

    `variants` maps a hint key (hint.<key>) to the value a classic wrong answer
    gives on the same inputs; a failing answer that matches one gets that hint.
    Returns the student's value as an array, for further checks. A list or float32
    answer is accepted (with a note) unless the call or the assignment says otherwise.
    """
    expected = np.asarray(expected)
    arr, notes, single = _to_array(actual, expected, call=call, inputs=inputs,
                                   **_policy(allow_list, allow_float32), variants=variants)
    if single:
        rtol, atol = max(rtol, tol.FLOAT32_RTOL), max(atol, tol.FLOAT32_ATOL)
    max_abs, max_rel, worst, ok = _errors(arr, expected, rtol, atol)
    if ok:
        for part in notes:
            note(part)
        return arr
    extra: list[Part] = [msg("grading.detail.error_size", max_abs=f"{max_abs:.3g}",
                             max_rel=f"{max_rel:.3g}", rtol=f"{rtol:g}", atol=f"{atol:g}")]
    if arr.ndim:
        extra.append(at_index(arr, expected, worst))
    bad = int(np.sum(~np.isfinite(arr.astype(np.float64)) & np.isfinite(expected.astype(np.float64))))
    if bad:
        extra.append(msg("grading.nonfinite", count=bad))
    hint = match_variant(arr, variants) or _generic_hint(arr, expected)
    raise CheckFailed(failure_report(msg("grading.mismatch", call=call), inputs=inputs, returned=actual,
                              expected=expected, extra=extra + notes), hint)


def rel_error(actual, expected, atol: float = 0.0) -> np.ndarray:
    """Entrywise CS231n relative error |a-b| / max(1e-8, |a|+|b|); entries closer than
    `atol` count as 0 (round-off on near-zero gradients is not a wrong answer)."""
    a = np.asarray(actual, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - b)
        err = diff / np.maximum(1e-8, np.abs(a) + np.abs(b))
    err = np.where(diff <= atol, 0.0, err)
    return np.where(np.isnan(err), np.inf, err)


def assert_grad_close(actual, expected, *, call: str, inputs=None,
                      threshold: float = tol.GRAD_REL_TOL, atol: float = tol.GRAD_ATOL,
                      allow_list: bool | None = None, allow_float32: bool | None = None,
                      variants: Mapping[str, object] | None = None,
                      own_forward: bool = False) -> np.ndarray:
    """Gradient check: the worst entry's relative error is at most `threshold`.

    `own_forward`: `expected` is the numerical gradient of the student's own forward
    (gradcheck.numerical_grad_of), and the message says so, not "the reference"."""
    expected = np.asarray(expected)
    arr, notes, single = _to_array(actual, expected, call=call, inputs=inputs,
                                   **_policy(allow_list, allow_float32), variants=variants)
    if single:
        threshold = max(threshold, tol.FLOAT32_RTOL)
    err = rel_error(arr, expected, atol)
    worst_rel = float(np.max(err)) if err.size else 0.0
    if worst_rel <= threshold:
        for part in notes:
            note(part)
        return arr
    worst = worst_index(err) if err.ndim else ()
    extra: list[Part] = [msg("grading.detail.rel_error", error=f"{worst_rel:.3g}", threshold=f"{threshold:g}"),
                         at_index(arr, expected, worst)]
    hint = match_variant(arr, variants) or _generic_hint(arr, expected)
    headline = "grading.grad_mismatch_own" if own_forward else "grading.grad_mismatch"
    raise CheckFailed(failure_report(msg(headline, call=call), inputs=inputs,
                              returned=actual, expected=expected, extra=extra + notes), hint)


def assert_dtype_kind(actual, kinds: str, *, call: str, want: str, inputs=None) -> None:
    """The returned array's dtype.kind is one of `kinds` ('iuf' for 'numbers')."""
    arr, _ = _plain_array(actual, call=call, allow_list=_policy(None, None)["allow_list"], inputs=inputs)
    if arr.dtype.kind in kinds:
        return
    hint = msg("hint.bool_dtype") if arr.dtype.kind == "b" else None
    raise CheckFailed(failure_report(msg("grading.wrong_dtype_kind", call=call, dtype=str(arr.dtype),
                                  want=want), inputs=inputs, returned=actual), hint)


def assert_restored(before, after, *, call: str) -> None:
    """An array the student was allowed to perturb holds its original values again."""
    before = np.asarray(before, dtype=np.float64)
    after, _ = _plain_array(after, call=call, allow_list=True, expected=before)
    if after.dtype.kind not in "biuf":
        raise CheckFailed(failure_report(msg("grading.not_numeric", call=call, kind=str(after.dtype)),
                                  expected=before))
    after = after.astype(np.float64)
    if before.shape == after.shape and np.array_equal(before, after):
        return
    extra = []
    if before.shape == after.shape:
        diff = np.abs(after - before)
        worst = worst_index(diff) if diff.ndim else ()
        extra.append(msg("grading.detail.changed", max_abs=f"{float(np.max(diff)):.3g}", index=str(worst)))
    raise CheckFailed(failure_report(msg("grading.not_restored", call=call), returned=after,
                                     expected=before, extra=extra),
                      msg("hint.grad_not_restored"))


def assert_keys(actual, keys, *, call: str) -> dict:
    """`actual` is a dict holding every name in `keys`; returns it as a plain dict.

    Only a real dict counts (the sandbox hands one back as data); its items are read
    with dict's own methods, so a subclass cannot answer `in` or `[]` its own way."""
    if actual is None:
        raise CheckFailed(failure_report(msg("grading.returned_none", call=call)))
    if not isinstance(actual, dict):
        raise CheckFailed(failure_report(msg("grading.not_dict", call=call, kind=_kind_name(actual)),
                                  returned=actual))
    plain = actual if type(actual) is dict else dict(dict.items(actual))
    missing = [k for k in keys if k not in plain]
    if missing:
        raise CheckFailed(failure_report(msg("grading.missing_keys", call=call,
                                             keys=", ".join(map(repr, missing))),
                                         extra=[msg("grading.detail.keys", keys=str(sorted(map(str, plain))))]))
    return plain


def assert_shape(actual, shape: tuple, *, call: str) -> np.ndarray:
    """`actual` is an array of numbers of exactly this shape; returns it as a real array.

    The shape is read from the converted array, never from the student's object."""
    arr, _ = _plain_array(actual, call=call, allow_list=_policy(None, None)["allow_list"])
    if arr.dtype.kind not in "biuf":
        raise CheckFailed(failure_report(msg("grading.not_numeric", call=call,
                                      kind=f"{_kind_name(actual)} ({arr.dtype})"), returned=actual))
    if arr.shape != tuple(shape):
        raise CheckFailed(failure_report(msg("grading.wrong_shape", call=call, got=str(arr.shape),
                                      want=str(tuple(shape))), returned=actual))
    return arr


def assert_true(condition: bool, *, call: str, what: str, returned=None) -> None:
    """A property of the answer (sums to 1, in [0, 1]); `what` names it in plain code."""
    if not condition:
        raise CheckFailed(failure_report(msg("grading.not_true", call=call, what=what),
                                  returned=returned))

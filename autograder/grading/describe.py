"""Describing a student's value in a failure: type, shape and dtype first (what students
get wrong), then a short preview. Data formatting only (the same in every language); the
sentences are catalog messages, put together into a Feedback by `failure_report`."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..feedback import Feedback, Message, Part, msg
from ..sandbox.proxy import Handle
from .student import Shielded, kind_of


def preview(value, limit: int = 160) -> str:
    """A short one-line rendering of a value, whatever its type."""
    if isinstance(value, np.ndarray) or np.isscalar(value):
        with np.printoptions(precision=6, threshold=12, edgeitems=3, linewidth=10_000):
            text = np.array2string(np.asarray(value), separator=", ") \
                if isinstance(value, np.ndarray) else repr(value)
    elif callable(value):
        text = getattr(value, "__name__", type(value).__name__)
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(value) -> str:
    """Type, shape and dtype first (that is what students get wrong), then a preview."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return f"{value.dtype} scalar: {number(value)}"
    if isinstance(value, np.ndarray):
        return f"ndarray shape {value.shape} {value.dtype}: {preview(value)}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} len {len(value)}: {preview(value)}"
    if isinstance(value, np.generic):
        return f"{type(value).__name__}: {number(value)}"
    if isinstance(value, (Shielded, Handle)):
        return f"{kind_of(value)} object"
    if callable(value) and not isinstance(value, type):
        return f"function {preview(value)}"
    return f"{type(value).__name__}: {preview(value)}"


def number(value) -> str:
    """One number, without numpy's np.float64(...) wrapper."""
    try:
        return f"{float(value):.10g}"
    except (TypeError, ValueError):
        return preview(value)


def worst_index(scores: np.ndarray) -> tuple:
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(scores)), scores.shape))


def at_index(arr: np.ndarray, expected: np.ndarray, index: tuple) -> Message:
    """The entry that misses the most: where, what came back there, what was expected."""
    return msg("grading.detail.worst", index=str(index), returned=number(arr[index]),
               expected=number(expected[index]))


def describe_inputs(inputs) -> str:
    if inputs is None:
        return ""
    if isinstance(inputs, Mapping):
        return "; ".join(f"{name} = {describe(v)}" for name, v in inputs.items())
    return describe(inputs)


def failure_report(headline: Part, *, inputs=None, returned=None, expected=None,
                   extra: list[Part] | tuple[Part, ...] = ()) -> Feedback:
    """A failure as data: the headline, the call's inputs, what came back and what was
    expected (each described, see `describe`), and further lines (`extra`)."""
    return Feedback(headline,
                    inputs=describe_inputs(inputs) if inputs is not None else None,
                    returned=describe(returned) if returned is not None else None,
                    expected=describe(expected) if expected is not None else None,
                    details=tuple(extra))

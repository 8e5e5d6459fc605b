"""What arrives from the sandbox, checked and clipped where it enters the trusted side.

The codec bounds what a reply may cost to decode; this bounds what its strings may cost
downstream (results.json, feedback, logs) and what student code may hand to a trusted
function it calls back. The shim clips too, but the shim runs beside student code, which
can write forged frames of its own: nothing here trusts it.
"""

from __future__ import annotations

import numpy as np

from .wire.values import ErrorInfo, HandleRef

TYPE_NAME_CHARS = 100
QUALNAME_CHARS = 200
MESSAGE_CHARS = 2000
TRACEBACK_CHARS = 8000
DETAIL_CHARS = 500
# A trusted function called back from the sandbox takes x (numerical_gradient's f) and
# perhaps a few more plain numbers; nothing a chapter calls passes more.
CALLBACK_ARGS = 8
# np.float64 is the widest type an argument may have, so no element costs the grader more
# than 8 bytes however the student's code casts it (complex256 would cost 32).
_REAL_KINDS = frozenset("iuf")
_INT64 = range(-(1 << 63), 1 << 63)


class CallbackRefused(ValueError):
    """Student code passed a trusted function something other than plain real numbers."""


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters]"


def clip_tail(text: str, limit: int) -> str:
    """The end of a long text (a traceback's last frames say the most)."""
    if len(text) <= limit:
        return text
    return f"[{len(text) - limit} characters before]...{text[-limit:]}"


def printable(text: str, limit: int) -> str:
    """A name from the sandbox: at most about `limit` characters, printable on one line."""
    text = clip(text, limit)
    return text if text.isprintable() else "".join(c if c.isprintable() else "?" for c in text)


def type_name(text: str) -> str:
    """A class name from the sandbox: short, and printable on one line."""
    return printable(text, TYPE_NAME_CHARS)


def error(info: ErrorInfo) -> ErrorInfo:
    # The codec already holds frames to (str, line, str); their names are shown to students.
    frames = tuple((type_name(label), line, printable(name, QUALNAME_CHARS)) for label, line, name in info.frames)
    return ErrorInfo(type_name(info.exc_type), clip(info.message, MESSAGE_CHARS),
                     clip_tail(info.traceback, TRACEBACK_CHARS), frames)


def handle_ref(ref: HandleRef) -> HandleRef:
    if len(ref.type_name) <= TYPE_NAME_CHARS and ref.type_name.isprintable():
        return ref
    return HandleRef(ref.generation, ref.oid, type_name(ref.type_name), ref.is_callable)


def _real(value, max_elements: int) -> bool:
    typ = type(value)
    if typ is float:
        return True
    if typ is int:
        return value in _INT64
    if typ is np.ndarray or isinstance(value, np.generic):
        dtype = value.dtype
        return dtype.kind in _REAL_KINDS and dtype.itemsize <= 8 and value.size <= max_elements
    return False


def callback_args(args: list, kwargs: dict, max_elements: int) -> list:
    """The arguments of a callback, when they are what a trusted function may receive."""
    if kwargs:
        raise CallbackRefused("grader functions take positional arguments only")
    if len(args) > CALLBACK_ARGS:
        raise CallbackRefused(f"grader functions take at most {CALLBACK_ARGS} arguments, not {len(args)}")
    for index, value in enumerate(args):
        if not _real(value, max_elements):
            shown = f"ndarray{value.shape} of {value.dtype}" if isinstance(value, (np.ndarray, np.generic)) \
                else type_name(type(value).__name__)
            raise CallbackRefused(
                f"argument {index + 1} of a grader function must be a real number or an int/float array of "
                f"at most {max_elements} elements (float64 at most), not {shown}")
    return list(args)

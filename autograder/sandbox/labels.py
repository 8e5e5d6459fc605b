"""Names for what the trusted side holds of the sandbox: `net.params['W1']`, `softmax(x)`.

They appear in error messages and reports, and their parts can come from the sandbox
(a dict key of any size), so each part is clipped when it is made and the whole name is
joined only when it is shown, never longer than MAX_CHARS.
"""

from __future__ import annotations

import reprlib

import numpy as np

from .proxy import Handle

PART_CHARS = 40
MAX_CHARS = 160

_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = PART_CHARS
_repr.maxlevel, _repr.maxtuple, _repr.maxlist, _repr.maxdict = 2, 4, 4, 4


def short_repr(value) -> str:
    """repr() at a bounded cost, whatever the value's size."""
    if isinstance(value, np.ndarray):
        return f"ndarray{value.shape} {value.dtype}"
    try:
        text = _repr.repr(value)
    except Exception:  # noqa: BLE001 - a repr may raise; the name is only a label
        text = f"<{type(value).__name__}>"
    return text if len(text) <= PART_CHARS else text[:PART_CHARS - 3] + "..."


def clip_name(text: str) -> str:
    return text if len(text) <= PART_CHARS else text[:PART_CHARS - 3] + "..."


class Label:
    """One step of a name (".params", "['W1']", "()") and the label it extends."""

    __slots__ = ("parent", "part")

    def __init__(self, parent: Label | None, part: str):
        self.parent, self.part = parent, part

    @classmethod
    def root(cls, text: str) -> Label:
        return cls(None, clip_name(text))

    def attr(self, name: str) -> Label:
        return Label(self, "." + clip_name(str(name)))

    def item(self, key) -> Label:
        return Label(self, f"[{short_repr(key)}]")

    def call(self, text: str = "") -> Label:
        return Label(self, f"({text})")

    def __str__(self) -> str:
        parts, size, node = [], 0, self
        while node is not None and size <= MAX_CHARS:
            parts.append(node.part)
            size += len(node.part)
            node = node.parent
        text = "".join(reversed(parts))
        if node is not None or len(text) > MAX_CHARS:
            text = "..." + text[-(MAX_CHARS - 3):]
        return text.lstrip(".")

    __repr__ = __str__


def argument(value) -> str:
    """One argument of a call as the call's name shows it: `ndarray(2, 3) float64`, `f`, `1.5`."""
    if isinstance(value, Handle):
        return repr(value)
    if callable(value) and not isinstance(value, np.ndarray):
        # A trusted probe: its name, not a repr with a memory address that changes per run.
        return clip_name(str(getattr(value, "__name__", type(value).__name__)))
    return short_repr(value)


def call_text(label: Label, args: tuple, kwargs: dict) -> str:
    shown = [argument(a) for a in args] + [f"{k}={argument(v)}" for k, v in kwargs.items()]
    text = ", ".join(shown)
    return f"{label}({text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 3] + '...'})"

"""What one message may cost to decode, and the two ways a value fails to cross.

The trusted side decodes what the sandbox sends, so every resource a decoded message
can take (objects built, string bytes, dict entries, nesting, array bytes) has a cap
here, checked before or while it is spent; the encoder checks the same caps, so a
value the shim sends honestly is never one the trusted side refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 ** 2

# Nesting of values (a list in a dict in a tuple...). Nothing a chapter exchanges goes
# past a handful of levels; 64 also stops a cyclic structure long before the
# interpreter's own recursion limit, on both sides.
MAX_DEPTH = 64
# Below Python's own int/str conversion limit (4300 digits), so the bound is ours,
# not whatever sys.set_int_max_str_digits the process happens to run with.
MAX_INT_DIGITS = 4000
# Ints used as dict keys hash to themselves below 2**61 - 1; above it, distinct keys
# can share a hash, and a dict of colliding keys takes quadratic time to build.
MAX_KEY_INT = (1 << 61) - 2
# The JSON part of one message: it bounds what json.loads reads before any other cap.
MAX_JSON_BYTES = 32 * MiB
MAX_ATTACHMENTS = 65536


class CodecError(ValueError):
    """The bytes are not a value this codec accepts (forged, truncated, over a cap, unsafe)."""


class NotEncodable(TypeError):
    """The value has no data encoding, or its encoding would exceed a cap."""


@dataclass(frozen=True)
class Caps:
    """The caps of one message. `values` counts JSON separators ("[", ",", ":") before
    parsing: an upper bound on the objects json.loads would build, taken in C time."""

    array_bytes: int = 64 * MiB      # one ndarray's data
    values: int = 1 << 19            # structural JSON tokens in one message
    string_bytes: int = 4 * MiB      # characters of all strings (and bytes) in one message
    dict_keys: int = 65536           # entries of all dicts in one message
    json_bytes: int = MAX_JSON_BYTES

    def __post_init__(self):
        for name in ("array_bytes", "values", "string_bytes", "dict_keys", "json_bytes"):
            value = getattr(self, name)
            if type(value) is not int or value <= 0:
                raise ValueError(f"Caps.{name} must be a positive int, not {value!r:.40}")


class Budget:
    """What one encode or decode has spent so far; both sides count the same things."""

    __slots__ = ("caps", "values", "string_bytes", "dict_keys", "error")

    def __init__(self, caps: Caps, error: type[Exception]):
        self.caps, self.error = caps, error
        self.values = self.string_bytes = self.dict_keys = 0

    def value(self) -> None:
        self.values += 1
        # Every value but the first follows a separator, so more values than the
        # separator cap allows can never make a message the other side accepts.
        if self.values > self.caps.values + 1:
            raise self.error(f"more than {self.caps.values} values in one message")

    def text(self, length: int) -> None:
        self.string_bytes += length
        if self.string_bytes > self.caps.string_bytes:
            raise self.error(f"more than {self.caps.string_bytes} bytes of strings in one message")

    def entries(self, count: int) -> None:
        self.dict_keys += count
        if self.dict_keys > self.caps.dict_keys:
            raise self.error(f"more than {self.caps.dict_keys} dict entries in one message")


def separators(text: str) -> int:
    """Structural tokens of a JSON text, counted without parsing it.

    Every JSON value but the outermost follows "[", "," or ":", so this bounds the
    number of objects json.loads builds; separators inside strings count too, which
    only errs on the side of refusing."""
    return text.count("[") + text.count(",") + text.count(":")


def clipped_repr(value, limit: int = 60) -> str:
    """repr() for messages about a value that came from the other side, at bounded cost."""
    if type(value) is str:
        return repr(value[:limit]) + ("..." if len(value) > limit else "")
    if type(value) in (list, tuple, dict):
        return f"<{type(value).__name__} of {len(value)}>"
    text = repr(value) if type(value) is not int or value.bit_length() < 256 else "<big int>"
    return text if len(text) <= limit else text[:limit] + "..."

"""A value to the bytes of one message and back, within the caps; no pickle.

One message is a JSON document describing the value (see values.py for its tagged
form), followed by the raw bytes of every ndarray in it (its dtype and shape are in the JSON):

    u32 json length | json (UTF-8) | u32 attachment count | (u64 length | array bytes)*

(big-endian). The decoder never trusts a length, a count, an index or an array's declared
size it has not checked against the bytes actually present, and counts what the JSON part
would build before json.loads builds it, so a forged message costs at most its caps.
"""

from __future__ import annotations

import json
import math
import struct

import numpy as np

from .caps import MAX_ATTACHMENTS, MAX_DEPTH, MAX_INT_DIGITS, Budget, Caps, CodecError, NotEncodable, separators
from .arrays import ALLOWED_DTYPE_KINDS
from .values import (DECODERS, ENCODERS, NP_SCALAR_TYPES, CallbackRef, ErrorInfo, HandleRef, Obj, enc_ndarray,
                     enc_npscalar)

__all__ = ["encode", "decode", "Caps", "CodecError", "NotEncodable", "HandleRef", "CallbackRef", "ErrorInfo"]

DEFAULT_CAPS = Caps()
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


# ---------------------------------------------------------------- encoding


def _reduce(value):
    """Turn a subclass of a data type into the plain base value, bypassing its overrides."""
    if isinstance(value, np.ndarray):
        return value.view(np.ndarray)
    if isinstance(value, dict):
        return dict(dict.items(value))
    if isinstance(value, list):
        return list(list.__iter__(value))
    if isinstance(value, tuple):
        return tuple(tuple.__iter__(value))
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__int__(value)
    if isinstance(value, float) and not isinstance(value, np.generic):
        return float.__float__(value)
    return None


class _Encoder:
    def __init__(self, on_other, caps: Caps):
        self.attachments: list = []
        self.on_other = on_other
        self.caps = caps
        self.budget = Budget(caps, NotEncodable)
        self.depth = 0

    def attach(self, raw) -> None:
        if len(self.attachments) >= MAX_ATTACHMENTS:
            raise NotEncodable(f"more than {MAX_ATTACHMENTS} arrays in one message")
        self.attachments.append(raw)

    def value(self, value):
        """The JSON-able form of value; its arrays are appended to self.attachments."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise NotEncodable(f"nesting deeper than {MAX_DEPTH} (a cycle?)")
        self.budget.value()
        try:
            return self._one(value)
        finally:
            self.depth -= 1

    def _one(self, value):
        typ = type(value)
        enc = ENCODERS.get(typ)
        if enc is not None:
            return enc(self, value)
        if typ is np.ndarray:
            if value.dtype.kind in ALLOWED_DTYPE_KINDS and value.dtype.fields is None:
                return enc_ndarray(self, value)
        elif typ in NP_SCALAR_TYPES:
            return enc_npscalar(self, value)
        else:
            plain = _reduce(value)
            if plain is not None:
                return self._one(plain)
        if self.on_other is None:
            raise NotEncodable(f"{typ.__name__} has no data encoding")
        return self._one(self.on_other(value))


def encode(value, *, on_other=None, caps: Caps = DEFAULT_CAPS) -> bytes:
    """Encode value; objects without a data encoding go through on_other (-> HandleRef/CallbackRef)."""
    enc = _Encoder(on_other, caps)
    tree = enc.value(value)
    try:
        # ensure_ascii keeps lone surrogates (legal in a Python str) as \\u escapes,
        # so any str crosses and the document is always valid UTF-8. The tree is
        # freshly built and depth-bounded, so it has no cycles to look for.
        text = json.dumps(tree, allow_nan=False, separators=(",", ":"), check_circular=False)
    except (ValueError, RecursionError) as exc:
        raise NotEncodable(f"no JSON form: {exc}") from None
    if len(text) > caps.json_bytes:
        raise NotEncodable(f"JSON part of {len(text)} bytes exceeds the {caps.json_bytes}-byte cap")
    if separators(text) > caps.values:
        raise NotEncodable(f"more than {caps.values} values in one message")
    doc = text.encode("ascii")
    parts = [_U32.pack(len(doc)), doc, _U32.pack(len(enc.attachments))]
    for raw in enc.attachments:
        parts.append(_U64.pack(len(raw)))
        parts.append(raw)
    return b"".join(parts)


# ---------------------------------------------------------------- decoding


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise CodecError(f"int of {len(text)} digits refused")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    # "1e999" would read as inf: non-finite floats have exactly one spelling, {"$float": ...}.
    if not math.isfinite(value):
        raise CodecError(f"JSON number {text[:40]!r} is not a finite float")
    return value


def _refuse_constant(name: str):
    raise CodecError(f"JSON constant {name} refused: non-finite floats are tagged")


class _Decoder:
    def __init__(self, attachments: list, caps: Caps):
        self.attachments = attachments  # memoryview per attachment; None once consumed
        self.caps = caps
        self.budget = Budget(caps, CodecError)
        self.depth = 0

    def value(self, node):
        typ = type(node)
        if typ is str:
            self.budget.text(len(node))
            return node
        if typ is int or typ is float or typ is bool or node is None:
            return node
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CodecError(f"nesting deeper than {MAX_DEPTH}")
        try:
            if typ is list:
                return [self.value(item) for item in node]
            if len(node) != 1:
                raise CodecError(f"a JSON object must hold exactly one tag, not {len(node)} keys")
            tag, payload = node[0]
            dec = DECODERS.get(tag)
            if dec is None:
                raise CodecError(f"unknown tag {tag[:40]!r}")
            return dec(self, payload)
        finally:
            self.depth -= 1


def _split(data, caps: Caps) -> tuple[str, list]:
    """Check the framing against the bytes present; return the JSON text and the attachments."""
    view = memoryview(data).cast("B")
    size = len(view)
    if size < 4:
        raise CodecError(f"truncated: {size} bytes cannot hold the JSON length")
    json_len = _U32.unpack(view[:4])[0]
    if json_len > caps.json_bytes:
        raise CodecError(f"JSON part of {json_len} bytes exceeds the {caps.json_bytes}-byte cap")
    pos = 4 + json_len
    if pos + 4 > size:
        raise CodecError(f"truncated: a JSON part of {json_len} bytes needs {pos + 4} bytes in all, have {size}")
    try:
        text = str(view[4:pos], "utf-8")
    except UnicodeDecodeError as exc:
        raise CodecError(f"bad utf-8: {str(exc)[:100]}") from None
    count = _U32.unpack(view[pos:pos + 4])[0]
    pos += 4
    # Each attachment needs at least its 8-byte length, so a larger count is a lie.
    if count > MAX_ATTACHMENTS or count * 8 > size - pos:
        raise CodecError(f"attachment count {count} exceeds the cap or the {size - pos} bytes left")
    limit = caps.array_bytes
    attachments = []
    for index in range(count):
        if pos + 8 > size:
            raise CodecError(f"truncated: attachment {index} has no length")
        length = _U64.unpack(view[pos:pos + 8])[0]
        pos += 8
        if length > limit:
            raise CodecError(f"ndarray payload of {length} bytes exceeds the cap")
        if length > size - pos:
            raise CodecError(f"truncated: attachment {index} declares {length} bytes, {size - pos} are left")
        attachments.append(view[pos:pos + length])
        pos += length
    if pos != size:
        raise CodecError(f"{size - pos} trailing bytes after the value")
    return text, attachments


def decode(data: bytes | bytearray | memoryview, *, caps: Caps = DEFAULT_CAPS):
    """Decode one value; the whole buffer and every attachment must be consumed."""
    text, attachments = _split(data, caps)
    if separators(text) > caps.values:
        raise CodecError(f"more than {caps.values} values in one message")
    try:
        tree = json.loads(text, object_pairs_hook=Obj, parse_int=_parse_int,
                          parse_float=_parse_float, parse_constant=_refuse_constant)
    except CodecError:
        raise
    except ValueError as exc:
        raise CodecError(f"bad JSON: {str(exc)[:100]}") from None
    except RecursionError:
        raise CodecError("nesting too deep") from None
    dec = _Decoder(attachments, caps)
    try:
        value = dec.value(tree)
    except RecursionError:
        raise CodecError("nesting too deep") from None
    unused = [i for i, raw in enumerate(attachments) if raw is not None]
    if unused:
        raise CodecError(f"attachments {unused[:10]} are not referenced by the value")
    return value

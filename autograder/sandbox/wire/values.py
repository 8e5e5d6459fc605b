"""The table of types that cross the wall: one encode/decode pair per type.

In the JSON part of a message, null/true/false/int/str/array stand for None/bool/int/
str/list, finite floats are JSON numbers, and every JSON object in a value position is
a tagged value with exactly one "$"-key ({"$tuple": [...]}, {"$ndarray": 0}, ...), so no
document has two readings ($np, $handle and $error carry a record: an object with
exactly their field names, never read as a value).

An encoder `enc` offers enc.value(v) (the JSON form of a nested value), enc.budget and
enc.attachments; a decoder `dec` offers the same for the way back. Both sides count what
they spend through the budget in the same places, so they agree on every cap.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass

import numpy as np

from . import arrays
from .caps import MAX_INT_DIGITS, MAX_KEY_INT, CodecError, NotEncodable, clipped_repr

# Any int of at most this many bits prints in at most MAX_INT_DIGITS digits.
MAX_INT_BITS = int((MAX_INT_DIGITS - 1) / math.log10(2))
_U64_LIMIT = 1 << 64


@dataclass(frozen=True)
class HandleRef:
    """Names an object that lives in the sandbox: generation of the process and object id."""

    generation: int
    oid: int
    type_name: str
    is_callable: bool


@dataclass(frozen=True)
class CallbackRef:
    """Names a trusted callable the sandbox may call back."""

    cid: int


@dataclass(frozen=True)
class ErrorInfo:
    """An exception described as data: type name, message, trimmed traceback, and the
    student's frames it passed through, outermost first, as (block label, line,
    qualified name such as "Affine.forward"): which of the student's functions raised."""

    exc_type: str
    message: str
    traceback: str
    frames: tuple = ()


class Obj(list):
    """A JSON object as its (key, value) pairs, so duplicate keys stay visible to the checks."""

    __slots__ = ()


def _record(payload, names: tuple[str, ...]) -> dict:
    """The fields of a fixed-shape payload ({"$handle": {...}}): exactly these names, once each."""
    if type(payload) is not Obj or len(payload) != len(names) or {k for k, _ in payload} != set(names):
        raise CodecError(f"payload must be an object with exactly the keys {', '.join(names)}")
    return dict(payload)


def _u64(value, what: str) -> int:
    if type(value) is not int or not 0 <= value < _U64_LIMIT:
        raise CodecError(f"{what} must be an int in [0, 2**64)")
    return value


# ---------------------------------------------------------------- scalars


def _enc_same(enc, value):
    return value


def _enc_str(enc, value):
    enc.budget.text(len(value))
    return value


def _enc_int(enc, value):
    if value.bit_length() > MAX_INT_BITS:
        raise NotEncodable(f"int of {value.bit_length()} bits is too large")
    return value


_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _enc_float(enc, value):
    if math.isfinite(value):
        return value
    return {"$float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


def _dec_float(dec, payload):
    if type(payload) is not str or payload not in _NONFINITE:
        raise CodecError('$float must be "nan", "inf" or "-inf"')
    return _NONFINITE[payload]


def _enc_complex(enc, value):
    return {"$complex": [enc.value(value.real), enc.value(value.imag)]}


def _dec_complex(dec, payload):
    if type(payload) is not list or len(payload) != 2:
        raise CodecError("$complex needs [re, im]")
    real, imag = (dec.value(part) for part in payload)
    if type(real) is not float or type(imag) is not float:
        raise CodecError("$complex parts must be floats")
    return complex(real, imag)


def _enc_bytes(enc, value):
    text = base64.b64encode(value).decode("ascii")
    enc.budget.text(len(text))
    return {"$bytes": text}


def _dec_bytes(dec, payload):
    if type(payload) is not str:
        raise CodecError("$bytes needs a base64 string")
    dec.budget.text(len(payload))
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CodecError(f"bad base64: {exc}") from None


def _enc_ellipsis(enc, value):
    return {"$ellipsis": None}


def _dec_ellipsis(dec, payload):
    if payload is not None:
        raise CodecError("$ellipsis takes null")
    return Ellipsis


# ---------------------------------------------------------------- containers


def _enc_list(enc, value):
    return [enc.value(item) for item in value]


def _enc_tuple(enc, value):
    return {"$tuple": [enc.value(item) for item in value]}


def _dec_tuple(dec, payload):
    if type(payload) is not list:
        raise CodecError("$tuple needs an array")
    return tuple(dec.value(item) for item in payload)


def _enc_dict(enc, value):
    enc.budget.entries(len(value))
    return {"$dict": [[enc.value(key), enc.value(item)] for key, item in value.items()]}


def is_hashable_key(key) -> bool:
    """Keys the trusted side may hash at a known cost: no big ints (their hashes collide)."""
    typ = type(key)
    if typ is tuple:
        return all(is_hashable_key(k) for k in key)
    if typ is int:
        return -MAX_KEY_INT <= key <= MAX_KEY_INT
    return typ in (type(None), bool, float, complex, str, bytes) or isinstance(key, np.generic)


def _dec_dict(dec, payload):
    if type(payload) is not list:
        raise CodecError("$dict needs an array of [key, value] pairs")
    dec.budget.entries(len(payload))
    result = {}
    for pair in payload:
        if type(pair) is not list or len(pair) != 2:
            raise CodecError("$dict items must be [key, value] pairs")
        key = dec.value(pair[0])
        if not is_hashable_key(key):
            raise CodecError(f"dict key {clipped_repr(key)} of type {type(key).__name__} refused")
        if key in result:
            raise CodecError(f"duplicate dict key {clipped_repr(key)}")
        result[key] = dec.value(pair[1])
    return result


def _enc_slice(enc, value):
    return {"$slice": [enc.value(value.start), enc.value(value.stop), enc.value(value.step)]}


def _dec_slice(dec, payload):
    if type(payload) is not list or len(payload) != 3:
        raise CodecError("$slice needs [start, stop, step]")
    parts = [dec.value(part) for part in payload]
    for part in parts:
        if part is not None and type(part) is not int:
            raise CodecError("slice bounds must be int or None")
    return slice(*parts)


# ---------------------------------------------------------------- numpy


def _extended(dtype: np.dtype) -> bool:
    # long double has no exact Python counterpart: those scalars travel as their raw bytes.
    return (dtype.kind == "f" and dtype.itemsize > 8) or (dtype.kind == "c" and dtype.itemsize > 16)


def enc_npscalar(enc, value):
    dtype = value.dtype
    inner = enc.value(value.tobytes() if _extended(dtype) else value.item())
    return {"$np": {"dtype": dtype.str, "value": inner}}


def _dec_npscalar(dec, payload):
    fields = _record(payload, ("dtype", "value"))
    dtype = arrays.check_dtype(fields["dtype"])
    value = dec.value(fields["value"])
    if _extended(dtype):
        if type(value) is not bytes or len(value) != dtype.itemsize:
            raise CodecError(f"numpy scalar of {dtype} needs {dtype.itemsize} raw bytes")
        return np.frombuffer(value, dtype=dtype)[0]
    kind = dtype.kind
    if kind == "b":
        if type(value) is not bool:
            raise CodecError(f"numpy scalar of {dtype} needs a bool")
        return dtype.type(value)
    if kind in "iu":
        info = np.iinfo(dtype)
        if type(value) is not int or not info.min <= value <= info.max:
            raise CodecError(f"numpy scalar of {dtype} needs an int in [{info.min}, {info.max}]")
        return dtype.type(value)
    wanted = float if kind == "f" else complex
    if type(value) is not wanted:
        raise CodecError(f"numpy scalar of {dtype} needs a {wanted.__name__}")
    with np.errstate(all="ignore"):
        result = dtype.type(value)
    # The encoder only writes values the dtype holds exactly; anything else was forged.
    back = result.item()
    if back != value and not (back != back and value != value):
        raise CodecError(f"{clipped_repr(value)} is not exactly representable as {dtype}")
    return result


def enc_ndarray(enc, value):
    if value.dtype.kind not in arrays.ALLOWED_DTYPE_KINDS or value.dtype.fields is not None:
        raise NotEncodable(f"ndarray of dtype {value.dtype} has no data encoding")
    if value.nbytes > enc.caps.array_bytes:
        raise NotEncodable(f"ndarray of {value.nbytes} bytes exceeds the {enc.caps.array_bytes}-byte cap")
    enc.attach(arrays.data(value))
    descr, shape = arrays.header(value)
    return {"$ndarray": {"at": len(enc.attachments) - 1, "dtype": descr, "shape": shape}}


_NDARRAY_FIELDS = ("at", "dtype", "shape")


def _dec_ndarray(dec, payload):
    fields = _record(payload, _NDARRAY_FIELDS)
    index = fields["at"]
    if type(index) is not int or not 0 <= index < len(dec.attachments):
        raise CodecError(f"$ndarray attachment {clipped_repr(index)} is not one of the "
                         f"{len(dec.attachments)} attachments")
    raw = dec.attachments[index]
    if raw is None:
        raise CodecError(f"attachment {index} is referenced twice")
    dec.attachments[index] = None
    return arrays.load(fields["dtype"], fields["shape"], raw, dec.caps.array_bytes)


# ---------------------------------------------------------------- references and errors

_HANDLE_FIELDS = ("generation", "oid", "type_name", "is_callable")


def _enc_handle(enc, value):
    if type(value.generation) is not int or type(value.oid) is not int or not (
            0 <= value.generation < _U64_LIMIT and 0 <= value.oid < _U64_LIMIT):
        raise NotEncodable("HandleRef generation and oid must be ints in [0, 2**64)")
    if type(value.type_name) is not str or type(value.is_callable) is not bool:
        raise NotEncodable("HandleRef type_name must be a str and is_callable a bool")
    enc.budget.text(len(value.type_name))
    return {"$handle": {"generation": value.generation, "oid": value.oid,
                        "type_name": value.type_name, "is_callable": value.is_callable}}


def _dec_handle(dec, payload):
    fields = _record(payload, _HANDLE_FIELDS)
    if type(fields["type_name"]) is not str or type(fields["is_callable"]) is not bool:
        raise CodecError("$handle type_name must be a string and is_callable a bool")
    dec.budget.text(len(fields["type_name"]))
    return HandleRef(_u64(fields["generation"], "$handle generation"), _u64(fields["oid"], "$handle oid"),
                     fields["type_name"], fields["is_callable"])


def _enc_callback(enc, value):
    if type(value.cid) is not int or not 0 <= value.cid < _U64_LIMIT:
        raise NotEncodable("CallbackRef cid must be an int in [0, 2**64)")
    return {"$callback": value.cid}


def _dec_callback(dec, payload):
    return CallbackRef(_u64(payload, "$callback id"))


_ERROR_TEXTS = ("exc_type", "message", "traceback")
_ERROR_FIELDS = _ERROR_TEXTS + ("frames",)
MAX_ERROR_FRAMES = 32
_LINE_LIMIT = 1 << 31


def _is_frame(frame, sequence_types) -> bool:
    return (type(frame) in sequence_types and len(frame) == 3 and type(frame[0]) is str
            and type(frame[1]) is int and 0 <= frame[1] < _LINE_LIMIT and type(frame[2]) is str)


def _enc_error(enc, value):
    parts = (value.exc_type, value.message, value.traceback)
    if any(type(part) is not str for part in parts):
        raise NotEncodable("ErrorInfo fields must be str")
    frames = value.frames
    if type(frames) is not tuple or len(frames) > MAX_ERROR_FRAMES or \
            not all(_is_frame(frame, (tuple,)) for frame in frames):
        raise NotEncodable(f"ErrorInfo frames must be at most {MAX_ERROR_FRAMES} (str, line, str) tuples")
    for part in parts + tuple(text for label, _, name in frames for text in (label, name)):
        enc.budget.text(len(part))
    return {"$error": {**dict(zip(_ERROR_TEXTS, parts)), "frames": [list(frame) for frame in frames]}}


def _dec_error(dec, payload):
    fields = _record(payload, _ERROR_FIELDS)
    if any(type(fields[name]) is not str for name in _ERROR_TEXTS):
        raise CodecError("$error fields must be strings")
    frames = fields["frames"]
    if type(frames) is not list or len(frames) > MAX_ERROR_FRAMES or \
            not all(_is_frame(frame, (list,)) for frame in frames):
        raise CodecError(f"$error frames must be at most {MAX_ERROR_FRAMES} [str, line, str] lists")
    for name in _ERROR_TEXTS:
        dec.budget.text(len(fields[name]))
    for label, _, name in frames:
        dec.budget.text(len(label) + len(name))
    return ErrorInfo(*(fields[name] for name in _ERROR_TEXTS), tuple(tuple(frame) for frame in frames))


# (tag, exact python type or None, encode, decode). Types listed here are encoded as
# themselves; numpy scalars and ndarrays are matched by the encoder (their types vary).
TABLE = [
    (None, type(None), _enc_same, None),
    (None, bool, _enc_same, None),
    (None, int, _enc_int, None),
    (None, str, _enc_str, None),
    (None, list, _enc_list, None),
    ("$float", float, _enc_float, _dec_float),
    ("$tuple", tuple, _enc_tuple, _dec_tuple),
    ("$dict", dict, _enc_dict, _dec_dict),
    ("$slice", slice, _enc_slice, _dec_slice),
    ("$ellipsis", type(Ellipsis), _enc_ellipsis, _dec_ellipsis),
    ("$complex", complex, _enc_complex, _dec_complex),
    ("$bytes", bytes, _enc_bytes, _dec_bytes),
    ("$np", None, enc_npscalar, _dec_npscalar),
    ("$ndarray", None, enc_ndarray, _dec_ndarray),
    ("$handle", HandleRef, _enc_handle, _dec_handle),
    ("$callback", CallbackRef, _enc_callback, _dec_callback),
    ("$error", ErrorInfo, _enc_error, _dec_error),
]
ENCODERS = {typ: enc for _, typ, enc, _ in TABLE if typ is not None}
DECODERS = {tag: dec for tag, _, _, dec in TABLE if tag is not None}
# numpy scalar types whose dtype is a plain number; anything else (str_, void, object) is not data.
NP_SCALAR_TYPES = frozenset(
    t for t in set(np.sctypeDict.values())
    if issubclass(t, np.generic) and np.dtype(t).kind in arrays.ALLOWED_DTYPE_KINDS
)

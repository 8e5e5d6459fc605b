"""Value codec for the sandbox boundary: plain data to bytes and back, no pickle.

Both sides use it: the child to send results, the trusted side to send arguments.

One message is a JSON document describing the value, followed by the npy bytes of
every ndarray in it:

    u32 json length | json (UTF-8) | u32 attachment count | (u64 length | npy bytes)*

(big-endian). In the JSON, null/true/false/int/str/array stand for None/bool/int/str/list,
finite floats are JSON numbers, and every JSON object in a value position is a tagged
value with exactly one "$"-key ({"$tuple": [...]}, {"$ndarray": 0}, ...), so no document
has two readings ($np, $handle and $error carry a record: an object with exactly
their field names, never read as a value). Every type has one encode/decode pair in TABLE. The decoder never
trusts a length, a count, an index or an npy header it has not checked against the
bytes actually present, so a forged message costs at most its own size; arrays are
loaded with allow_pickle=False only after their header passed parse_npy_header.

This module is imported inside the sandbox by the shim: it must not import anything
from the grader (standard library and numpy only).
"""

from __future__ import annotations

import ast
import base64
import binascii
import io
import json
import math
import re
import struct
from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 64
# Below Python's own int/str conversion limit (4300 digits), so the bound is ours,
# not whatever sys.set_int_max_str_digits the process happens to run with.
MAX_INT_DIGITS = 4000
MAX_JSON_BYTES = 32 * 1024 * 1024
MAX_ATTACHMENTS = 65536
MAX_NPY_HEADER = 4096
MAX_NDIM = 32
DEFAULT_MAX_ARRAY_BYTES = 256 * 1024 * 1024
# Only kinds whose bytes are plain numbers: bool, signed, unsigned, float, complex.
ALLOWED_DTYPE_KINDS = frozenset("biufc")
NPY_MAGIC = b"\x93NUMPY"
_SIMPLE_DESCR = re.compile(r"[<>|=]?[A-Za-z?][0-9]{0,2}")
_U64_LIMIT = 1 << 64
# Any int of at most this many bits prints in at most MAX_INT_DIGITS digits.
_MAX_INT_BITS = int((MAX_INT_DIGITS - 1) / math.log10(2))


class CodecError(ValueError):
    """The bytes are not a value this codec accepts (forged, truncated, unsafe)."""


class NotEncodable(TypeError):
    """The value has no data encoding and the caller gave no way to reference it."""


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
    """An exception described as data: type name, message, trimmed traceback."""

    exc_type: str
    message: str
    traceback: str


_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


# ---------------------------------------------------------------- npy checking


def check_dtype(descr: object) -> np.dtype:
    # np.dtype parses comma lists, brackets and field specs with its own little grammar
    # (and raises SyntaxError on some); a simple numeric descr never needs any of that.
    if not isinstance(descr, str) or _SIMPLE_DESCR.fullmatch(descr) is None:
        raise CodecError(f"refused dtype descr {descr!r:.40}: only simple numeric dtypes cross")
    try:
        dtype = np.dtype(descr)
    except (TypeError, ValueError, SyntaxError) as exc:
        raise CodecError(f"unknown dtype {descr!r}: {exc}") from None
    if dtype.kind not in ALLOWED_DTYPE_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise CodecError(f"refused dtype {dtype} (kind {dtype.kind!r}): only bool/int/uint/float/complex cross")
    return dtype


def parse_npy_header(data: bytes | memoryview) -> tuple[np.dtype, tuple[int, ...], bool, int]:
    """Check an npy header against the payload length; return (dtype, shape, fortran, data offset)."""
    view = memoryview(data)
    if len(view) < 10 or bytes(view[:6]) != NPY_MAGIC:
        raise CodecError("not an npy payload (bad magic)")
    major, minor = view[6], view[7]
    if minor != 0:
        raise CodecError(f"unsupported npy version {major}.{minor}")
    if major == 1:
        hlen, start = struct.unpack("<H", view[8:10])[0], 10
    elif major in (2, 3):
        if len(view) < 12:
            raise CodecError("truncated npy header")
        hlen, start = struct.unpack("<I", view[8:12])[0], 12
    else:
        raise CodecError(f"unsupported npy version {major}")
    if hlen > MAX_NPY_HEADER or start + hlen > len(view):
        raise CodecError(f"npy header length {hlen} is oversized or truncated")
    try:
        header = ast.literal_eval(bytes(view[start:start + hlen]).decode("latin1"))
    except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
        raise CodecError(f"unreadable npy header: {exc}") from None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise CodecError("npy header must hold exactly descr, fortran_order, shape")
    dtype = check_dtype(header["descr"])
    shape, fortran = header["shape"], header["fortran_order"]
    if type(fortran) is not bool:
        raise CodecError("npy fortran_order must be a bool")
    if type(shape) is not tuple or len(shape) > MAX_NDIM or any(type(d) is not int or d < 0 for d in shape):
        raise CodecError(f"npy shape {shape!r} is not a tuple of non-negative ints")
    offset = start + hlen
    declared = math.prod(shape) * dtype.itemsize
    actual = len(view) - offset
    if declared != actual:
        raise CodecError(f"npy header declares {declared} bytes for shape {shape} but {actual} are present")
    return dtype, shape, fortran, offset


# ---------------------------------------------------------------- JSON layer


class _Obj(list):
    """A JSON object as its (key, value) pairs, so duplicate keys stay visible to the checks."""

    __slots__ = ()


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


def _record(payload, names: tuple[str, ...]) -> dict:
    """The fields of a fixed-shape payload ({"$handle": {...}}): exactly these names, once each."""
    if type(payload) is not _Obj or len(payload) != len(names) or {k for k, _ in payload} != set(names):
        raise CodecError(f"payload must be an object with exactly the keys {', '.join(names)}")
    return dict(payload)


def _u64(value, what: str) -> int:
    if type(value) is not int or not 0 <= value < _U64_LIMIT:
        raise CodecError(f"{what} must be an int in [0, 2**64)")
    return value


# ---------------------------------------------------------------- the table
# Each entry: tag, exact python type, encode(encoder, value) -> JSON-able,
# decode(decoder, payload) -> value. Tag None: the type is a JSON value itself.


def _enc_same(enc, value):
    return value


def _enc_int(enc, value):
    if value.bit_length() > _MAX_INT_BITS:
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


def _enc_list(enc, value):
    return [enc.value(item) for item in value]


def _enc_tuple(enc, value):
    return {"$tuple": [enc.value(item) for item in value]}


def _dec_tuple(dec, payload):
    if type(payload) is not list:
        raise CodecError("$tuple needs an array")
    return tuple(dec.value(item) for item in payload)


def _enc_dict(enc, value):
    return {"$dict": [[enc.value(key), enc.value(item)] for key, item in value.items()]}


def _is_hashable_key(key) -> bool:
    if type(key) is tuple:
        return all(_is_hashable_key(k) for k in key)
    return type(key) in (type(None), bool, int, float, complex, str, bytes) or isinstance(key, np.generic)


def _dec_dict(dec, payload):
    if type(payload) is not list:
        raise CodecError("$dict needs an array of [key, value] pairs")
    result = {}
    for pair in payload:
        if type(pair) is not list or len(pair) != 2:
            raise CodecError("$dict items must be [key, value] pairs")
        key = dec.value(pair[0])
        if not _is_hashable_key(key):
            raise CodecError(f"dict key of type {type(key).__name__} refused")
        if key in result:
            raise CodecError(f"duplicate dict key {key!r:.60}")
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


def _enc_ellipsis(enc, value):
    return {"$ellipsis": None}


def _dec_ellipsis(dec, payload):
    if payload is not None:
        raise CodecError("$ellipsis takes null")
    return Ellipsis


def _enc_complex(enc, value):
    return {"$complex": [_enc_float(enc, value.real), _enc_float(enc, value.imag)]}


def _dec_complex(dec, payload):
    if type(payload) is not list or len(payload) != 2:
        raise CodecError("$complex needs [re, im]")
    real, imag = (dec.value(part) for part in payload)
    if type(real) is not float or type(imag) is not float:
        raise CodecError("$complex parts must be floats")
    return complex(real, imag)


def _enc_bytes(enc, value):
    return {"$bytes": base64.b64encode(value).decode("ascii")}


def _dec_bytes(dec, payload):
    if type(payload) is not str:
        raise CodecError("$bytes needs a base64 string")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CodecError(f"bad base64: {exc}") from None


def _extended(dtype: np.dtype) -> bool:
    # long double has no exact Python counterpart: those scalars travel as their raw bytes.
    return (dtype.kind == "f" and dtype.itemsize > 8) or (dtype.kind == "c" and dtype.itemsize > 16)


def _enc_npscalar(enc, value):
    dtype = value.dtype
    if _extended(dtype):
        inner = _enc_bytes(enc, value.tobytes())
    else:
        inner = enc.value(value.item())
    return {"$np": {"dtype": dtype.str, "value": inner}}


def _dec_npscalar(dec, payload):
    fields = _record(payload, ("dtype", "value"))
    dtype = check_dtype(fields["dtype"])
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
    if back != value and not (_has_nan(back) and _has_nan(value)):
        raise CodecError(f"{value!r:.60} is not exactly representable as {dtype}")
    return result


def _has_nan(value) -> bool:
    return value != value


def _enc_ndarray(enc, value):
    if value.dtype.kind not in ALLOWED_DTYPE_KINDS or value.dtype.fields is not None:
        raise NotEncodable(f"ndarray of dtype {value.dtype} has no data encoding")
    if value.nbytes > enc.max_array_bytes:
        raise NotEncodable(f"ndarray of {value.nbytes} bytes exceeds the {enc.max_array_bytes}-byte cap")
    if len(enc.attachments) >= MAX_ATTACHMENTS:
        raise NotEncodable(f"more than {MAX_ATTACHMENTS} arrays in one message")
    buf = io.BytesIO()
    np.save(buf, value, allow_pickle=False)
    enc.attachments.append(buf.getbuffer())
    return {"$ndarray": len(enc.attachments) - 1}


def _dec_ndarray(dec, payload):
    if type(payload) is not int or not 0 <= payload < len(dec.attachments):
        raise CodecError(f"$ndarray index {payload!r:.40} is not one of the {len(dec.attachments)} attachments")
    raw = dec.attachments[payload]
    if raw is None:
        raise CodecError(f"attachment {payload} is referenced twice")
    dec.attachments[payload] = None
    dtype, shape, fortran, offset = parse_npy_header(raw)
    if len(raw) - offset > dec.max_array_bytes:
        raise CodecError(f"ndarray of {len(raw) - offset} bytes exceeds the cap")
    try:
        array = np.load(io.BytesIO(raw), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        # The header already passed our checks; this only keeps numpy's own refusals typed as ours.
        raise CodecError(f"npy payload did not load: {exc}") from None
    if type(array) is not np.ndarray or array.dtype != dtype or array.shape != shape:
        raise CodecError("npy payload did not load as the header declared")
    return array


_HANDLE_FIELDS = ("generation", "oid", "type_name", "is_callable")


def _enc_handle(enc, value):
    if type(value.generation) is not int or type(value.oid) is not int or not (
            0 <= value.generation < _U64_LIMIT and 0 <= value.oid < _U64_LIMIT):
        raise NotEncodable("HandleRef generation and oid must be ints in [0, 2**64)")
    if type(value.type_name) is not str or type(value.is_callable) is not bool:
        raise NotEncodable("HandleRef type_name must be a str and is_callable a bool")
    return {"$handle": {"generation": value.generation, "oid": value.oid,
                        "type_name": value.type_name, "is_callable": value.is_callable}}


def _dec_handle(dec, payload):
    fields = _record(payload, _HANDLE_FIELDS)
    if type(fields["type_name"]) is not str or type(fields["is_callable"]) is not bool:
        raise CodecError("$handle type_name must be a string and is_callable a bool")
    return HandleRef(_u64(fields["generation"], "$handle generation"), _u64(fields["oid"], "$handle oid"),
                     fields["type_name"], fields["is_callable"])


def _enc_callback(enc, value):
    if type(value.cid) is not int or not 0 <= value.cid < _U64_LIMIT:
        raise NotEncodable("CallbackRef cid must be an int in [0, 2**64)")
    return {"$callback": value.cid}


def _dec_callback(dec, payload):
    return CallbackRef(_u64(payload, "$callback id"))


_ERROR_FIELDS = ("exc_type", "message", "traceback")


def _enc_error(enc, value):
    parts = (value.exc_type, value.message, value.traceback)
    if any(type(part) is not str for part in parts):
        raise NotEncodable("ErrorInfo fields must be str")
    return {"$error": dict(zip(_ERROR_FIELDS, parts))}


def _dec_error(dec, payload):
    fields = _record(payload, _ERROR_FIELDS)
    if any(type(fields[name]) is not str for name in _ERROR_FIELDS):
        raise CodecError("$error fields must be strings")
    return ErrorInfo(*(fields[name] for name in _ERROR_FIELDS))


# (tag, exact python type or None, encode, decode). Types listed here are encoded
# as themselves; numpy scalars and ndarrays are matched separately in _Encoder._one.
TABLE = [
    (None, type(None), _enc_same, None),
    (None, bool, _enc_same, None),
    (None, int, _enc_int, None),
    (None, str, _enc_same, None),
    (None, list, _enc_list, None),
    ("$float", float, _enc_float, _dec_float),
    ("$tuple", tuple, _enc_tuple, _dec_tuple),
    ("$dict", dict, _enc_dict, _dec_dict),
    ("$slice", slice, _enc_slice, _dec_slice),
    ("$ellipsis", type(Ellipsis), _enc_ellipsis, _dec_ellipsis),
    ("$complex", complex, _enc_complex, _dec_complex),
    ("$bytes", bytes, _enc_bytes, _dec_bytes),
    ("$np", None, _enc_npscalar, _dec_npscalar),
    ("$ndarray", None, _enc_ndarray, _dec_ndarray),
    ("$handle", HandleRef, _enc_handle, _dec_handle),
    ("$callback", CallbackRef, _enc_callback, _dec_callback),
    ("$error", ErrorInfo, _enc_error, _dec_error),
]
_BY_TYPE = {typ: enc for _, typ, enc, _ in TABLE if typ is not None}
_BY_TAG = {tag: dec for tag, _, _, dec in TABLE if tag is not None}
# numpy scalar types whose dtype is a plain number; anything else (str_, void, object) is not data.
_NP_SCALAR_TYPES = frozenset(
    t for t in set(np.sctypeDict.values()) if issubclass(t, np.generic) and np.dtype(t).kind in ALLOWED_DTYPE_KINDS
)


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
    def __init__(self, on_other, max_array_bytes: int):
        self.attachments = []
        self.on_other = on_other
        self.depth = 0
        self.max_array_bytes = max_array_bytes

    def value(self, value):
        """The JSON-able form of value; its arrays are appended to self.attachments."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise NotEncodable(f"nesting deeper than {MAX_DEPTH} (a cycle?)")
        try:
            return self._one(value)
        finally:
            self.depth -= 1

    def _one(self, value):
        typ = type(value)
        enc = _BY_TYPE.get(typ)
        if enc is not None:
            return enc(self, value)
        if typ is np.ndarray:
            if value.dtype.kind in ALLOWED_DTYPE_KINDS and value.dtype.fields is None:
                return _enc_ndarray(self, value)
        elif typ in _NP_SCALAR_TYPES:
            return _enc_npscalar(self, value)
        else:
            plain = _reduce(value)
            if plain is not None:
                return self._one(plain)
        if self.on_other is None:
            raise NotEncodable(f"{typ.__name__} has no data encoding")
        return self._one(self.on_other(value))


def encode(value, *, on_other=None, max_array_bytes: int = DEFAULT_MAX_ARRAY_BYTES,
           max_json_bytes: int = MAX_JSON_BYTES) -> bytes:
    """Encode value; objects without a data encoding go through on_other (-> HandleRef/CallbackRef)."""
    enc = _Encoder(on_other, max_array_bytes)
    tree = enc.value(value)
    try:
        # ensure_ascii keeps lone surrogates (legal in a Python str) as \\u escapes,
        # so any str crosses and the document is always valid UTF-8. The tree is
        # freshly built and depth-bounded, so it has no cycles to look for.
        text = json.dumps(tree, allow_nan=False, separators=(",", ":"), check_circular=False)
    except (ValueError, RecursionError) as exc:
        raise NotEncodable(f"no JSON form: {exc}") from None
    doc = text.encode("ascii")
    if len(doc) > max_json_bytes:
        raise NotEncodable(f"JSON part of {len(doc)} bytes exceeds the {max_json_bytes}-byte cap")
    parts = [_U32.pack(len(doc)), doc, _U32.pack(len(enc.attachments))]
    for raw in enc.attachments:
        parts.append(_U64.pack(len(raw)))
        parts.append(raw)
    return b"".join(parts)


class _Decoder:
    def __init__(self, attachments: list, max_array_bytes: int):
        self.attachments = attachments  # memoryview per attachment; None once consumed
        self.max_array_bytes = max_array_bytes
        self.depth = 0

    def value(self, node):
        typ = type(node)
        if typ is str or typ is int or typ is float or typ is bool or node is None:
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
            dec = _BY_TAG.get(tag)
            if dec is None:
                raise CodecError(f"unknown tag {tag[:40]!r}")
            return dec(self, payload)
        finally:
            self.depth -= 1


def _split(data, max_array_bytes: int, max_json_bytes: int) -> tuple[str, list]:
    """Check the framing against the bytes present; return the JSON text and the attachments."""
    view = memoryview(data).cast("B")
    size = len(view)
    if size < 4:
        raise CodecError(f"truncated: {size} bytes cannot hold the JSON length")
    json_len = _U32.unpack(view[:4])[0]
    if json_len > max_json_bytes:
        raise CodecError(f"JSON part of {json_len} bytes exceeds the {max_json_bytes}-byte cap")
    pos = 4 + json_len
    if pos + 4 > size:
        raise CodecError(f"truncated: a JSON part of {json_len} bytes needs {pos + 4} bytes in all, have {size}")
    try:
        text = str(view[4:pos], "utf-8")
    except UnicodeDecodeError as exc:
        raise CodecError(f"bad utf-8: {exc}") from None
    count = _U32.unpack(view[pos:pos + 4])[0]
    pos += 4
    # Each attachment needs at least its 8-byte length, so a larger count is a lie.
    if count > MAX_ATTACHMENTS or count * 8 > size - pos:
        raise CodecError(f"attachment count {count} exceeds the cap or the {size - pos} bytes left")
    limit = max_array_bytes + MAX_NPY_HEADER + 16
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


def decode(data: bytes | bytearray | memoryview, *, max_array_bytes: int = DEFAULT_MAX_ARRAY_BYTES,
           max_json_bytes: int = MAX_JSON_BYTES):
    """Decode one value; the whole buffer and every attachment must be consumed."""
    text, attachments = _split(data, max_array_bytes, max_json_bytes)
    try:
        tree = json.loads(text, object_pairs_hook=_Obj, parse_int=_parse_int,
                          parse_float=_parse_float, parse_constant=_refuse_constant)
    except CodecError:
        raise
    except ValueError as exc:
        raise CodecError(f"bad JSON: {exc}") from None
    except RecursionError:
        raise CodecError("nesting too deep") from None
    dec = _Decoder(attachments, max_array_bytes)
    try:
        value = dec.value(tree)
    except RecursionError:
        raise CodecError("nesting too deep") from None
    unused = [i for i, raw in enumerate(attachments) if raw is not None]
    if unused:
        raise CodecError(f"attachments {unused[:10]} are not referenced by the value")
    return value


def is_data(value) -> bool:
    """True when value encodes without references to live objects."""
    try:
        encode(value)
    except NotEncodable:
        return False
    return True

"""Value codec for the sandbox boundary: plain data to bytes and back, no pickle.

Both sides use it: the child to send results, the trusted side to send arguments.
Every type has one encode/decode pair in TABLE. The decoder never trusts a length,
a count or an npy header it has not checked against the bytes actually present,
so a forged message costs at most its own size.

This module is imported inside the sandbox by the shim: it must not import anything
from the grader (standard library and numpy only).
"""

from __future__ import annotations

import ast
import io
import math
import struct
from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 64
MAX_INT_BYTES = 4096
MAX_NPY_HEADER = 4096
MAX_NDIM = 32
DEFAULT_MAX_ARRAY_BYTES = 256 * 1024 * 1024
# Only kinds whose bytes are plain numbers: bool, signed, unsigned, float, complex.
ALLOWED_DTYPE_KINDS = frozenset("biufc")
NPY_MAGIC = b"\x93NUMPY"


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
_F64 = struct.Struct(">d")
_C128 = struct.Struct(">dd")


# ---------------------------------------------------------------- reading


class _Reader:
    def __init__(self, data: bytes | bytearray | memoryview, max_array_bytes: int):
        self.view = memoryview(data).cast("B")
        self.pos = 0
        self.max_array_bytes = max_array_bytes

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.view):
            raise CodecError(f"truncated: need {n} bytes at offset {self.pos}, have {len(self.view) - self.pos}")
        chunk = self.view[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def u32(self) -> int:
        return _U32.unpack(self.take(4))[0]

    def u64(self) -> int:
        return _U64.unpack(self.take(8))[0]

    def count(self) -> int:
        # Every item takes at least one byte, so a count larger than what is left is a lie.
        n = self.u32()
        if n > len(self.view) - self.pos:
            raise CodecError(f"count {n} exceeds the {len(self.view) - self.pos} bytes left")
        return n

    def text(self) -> str:
        raw = self.take(self.u32())
        try:
            return bytes(raw).decode("utf-8", "surrogatepass")
        except UnicodeDecodeError as exc:
            raise CodecError(f"bad utf-8: {exc}") from None


# ---------------------------------------------------------------- npy checking


def check_dtype(descr: object) -> np.dtype:
    if not isinstance(descr, str) or len(descr) > 16:
        raise CodecError(f"refused dtype descr {descr!r}: only simple numeric dtypes cross")
    try:
        dtype = np.dtype(descr)
    except TypeError as exc:
        raise CodecError(f"unknown dtype {descr!r}: {exc}") from None
    if dtype.kind not in ALLOWED_DTYPE_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise CodecError(f"refused dtype {dtype} (kind {dtype.kind!r}): only bool/int/uint/float/complex cross")
    return dtype


def parse_npy_header(data: bytes | memoryview) -> tuple[np.dtype, tuple[int, ...], bool, int]:
    """Check an npy header against the payload length; return (dtype, shape, fortran, data offset)."""
    view = memoryview(data)
    if len(view) < 10 or bytes(view[:6]) != NPY_MAGIC:
        raise CodecError("not an npy payload (bad magic)")
    major = view[6]
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


# ---------------------------------------------------------------- the table
# Each entry: tag byte, encode(encoder, value), decode(reader, decoder).


def _enc_none(enc, value):
    pass


def _dec_none(rd, dec):
    return None


def _enc_int(enc, value):
    length = (value.bit_length() + 8) // 8
    if length > MAX_INT_BYTES:
        raise NotEncodable(f"int with {length} bytes is too large")
    enc.out += _U32.pack(length) + value.to_bytes(length, "big", signed=True)


def _dec_int(rd, dec):
    length = rd.u32()
    if length > MAX_INT_BYTES:
        raise CodecError(f"int of {length} bytes refused")
    return int.from_bytes(rd.take(length), "big", signed=True)


def _enc_float(enc, value):
    enc.out += _F64.pack(value)


def _dec_float(rd, dec):
    return _F64.unpack(rd.take(8))[0]


def _enc_complex(enc, value):
    enc.out += _C128.pack(value.real, value.imag)


def _dec_complex(rd, dec):
    real, imag = _C128.unpack(rd.take(16))
    return complex(real, imag)


def _enc_str(enc, value):
    raw = value.encode("utf-8", "surrogatepass")
    enc.out += _U32.pack(len(raw)) + raw


def _dec_str(rd, dec):
    return rd.text()


def _enc_bytes(enc, value):
    enc.out += _U32.pack(len(value)) + value


def _dec_bytes(rd, dec):
    return bytes(rd.take(rd.u32()))


def _enc_seq(enc, value):
    enc.out += _U32.pack(len(value))
    for item in value:
        enc.value(item)


def _dec_list(rd, dec):
    return [dec.value(rd) for _ in range(rd.count())]


def _dec_tuple(rd, dec):
    return tuple(dec.value(rd) for _ in range(rd.count()))


def _enc_dict(enc, value):
    enc.out += _U32.pack(len(value))
    for key, item in value.items():
        enc.value(key)
        enc.value(item)


def _is_hashable_key(key) -> bool:
    if type(key) is tuple:
        return all(_is_hashable_key(k) for k in key)
    return type(key) in (type(None), bool, int, float, complex, str, bytes) or isinstance(key, np.generic)


def _dec_dict(rd, dec):
    result = {}
    for _ in range(rd.count()):
        key = dec.value(rd)
        if not _is_hashable_key(key):
            raise CodecError(f"dict key of type {type(key).__name__} refused")
        result[key] = dec.value(rd)
    return result


def _enc_slice(enc, value):
    for part in (value.start, value.stop, value.step):
        enc.value(part)


def _dec_slice(rd, dec):
    start, stop, step = (dec.value(rd) for _ in range(3))
    for part in (start, stop, step):
        if part is not None and type(part) is not int:
            raise CodecError("slice bounds must be int or None")
    return slice(start, stop, step)


def _dec_ellipsis(rd, dec):
    return Ellipsis


def _enc_npscalar(enc, value):
    enc.value(value.dtype.str)
    _enc_bytes(enc, value.tobytes())


def _dec_npscalar(rd, dec):
    descr = dec.value(rd)
    dtype = check_dtype(descr)
    raw = bytes(rd.take(rd.u32()))
    if len(raw) != dtype.itemsize:
        raise CodecError(f"numpy scalar of {dtype} needs {dtype.itemsize} bytes, got {len(raw)}")
    return np.frombuffer(raw, dtype=dtype)[0]


def _enc_ndarray(enc, value):
    if value.dtype.kind not in ALLOWED_DTYPE_KINDS or value.dtype.fields is not None:
        raise NotEncodable(f"ndarray of dtype {value.dtype} has no data encoding")
    if value.nbytes > enc.max_array_bytes:
        raise NotEncodable(f"ndarray of {value.nbytes} bytes exceeds the {enc.max_array_bytes}-byte cap")
    buf = io.BytesIO()
    np.save(buf, value, allow_pickle=False)
    raw = buf.getbuffer()
    enc.out += _U64.pack(len(raw))
    enc.out += raw


def _dec_ndarray(rd, dec):
    length = rd.u64()
    if length > rd.max_array_bytes + MAX_NPY_HEADER + 16:
        raise CodecError(f"ndarray payload of {length} bytes exceeds the cap")
    raw = rd.take(length)
    dtype, shape, fortran, offset = parse_npy_header(raw)
    if len(raw) - offset > rd.max_array_bytes:
        raise CodecError(f"ndarray of {len(raw) - offset} bytes exceeds the cap")
    array = np.load(io.BytesIO(raw), allow_pickle=False)
    if type(array) is not np.ndarray or array.dtype != dtype or array.shape != shape:
        raise CodecError("npy payload did not load as the header declared")
    return array


def _enc_handle(enc, value):
    enc.out += _U64.pack(value.generation) + _U64.pack(value.oid)
    _enc_str(enc, value.type_name)
    enc.out += b"\x01" if value.is_callable else b"\x00"


def _dec_handle(rd, dec):
    generation, oid = rd.u64(), rd.u64()
    type_name = rd.text()
    return HandleRef(generation, oid, type_name, bool(rd.take(1)[0]))


def _enc_callback(enc, value):
    enc.out += _U64.pack(value.cid)


def _dec_callback(rd, dec):
    return CallbackRef(rd.u64())


def _enc_error(enc, value):
    for part in (value.exc_type, value.message, value.traceback):
        _enc_str(enc, part)


def _dec_error(rd, dec):
    return ErrorInfo(rd.text(), rd.text(), rd.text())


# (tag, exact python type or None, encode, decode). Types listed here are encoded
# as themselves; numpy scalars and ndarrays are matched separately in _Encoder.value.
TABLE = [
    (b"N", type(None), _enc_none, _dec_none),
    (b"T", None, _enc_none, lambda rd, dec: True),
    (b"F", None, _enc_none, lambda rd, dec: False),
    (b"i", int, _enc_int, _dec_int),
    (b"f", float, _enc_float, _dec_float),
    (b"c", complex, _enc_complex, _dec_complex),
    (b"s", str, _enc_str, _dec_str),
    (b"y", bytes, _enc_bytes, _dec_bytes),
    (b"l", list, _enc_seq, _dec_list),
    (b"t", tuple, _enc_seq, _dec_tuple),
    (b"d", dict, _enc_dict, _dec_dict),
    (b"S", slice, _enc_slice, _dec_slice),
    (b"E", type(Ellipsis), _enc_none, _dec_ellipsis),
    (b"g", None, _enc_npscalar, _dec_npscalar),
    (b"a", None, _enc_ndarray, _dec_ndarray),
    (b"H", HandleRef, _enc_handle, _dec_handle),
    (b"C", CallbackRef, _enc_callback, _dec_callback),
    (b"X", ErrorInfo, _enc_error, _dec_error),
]
_BY_TYPE = {typ: (tag, enc) for tag, typ, enc, _ in TABLE if typ is not None}
_BY_TAG = {tag[0]: dec for tag, _, _, dec in TABLE}
_ENC = {tag: enc for tag, _, enc, _ in TABLE}
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
        self.out = bytearray()
        self.on_other = on_other
        self.depth = 0
        self.max_array_bytes = max_array_bytes

    def value(self, value):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise NotEncodable(f"nesting deeper than {MAX_DEPTH} (a cycle?)")
        try:
            self._one(value)
        finally:
            self.depth -= 1

    def _one(self, value):
        typ = type(value)
        if typ is bool:
            self.out += b"T" if value else b"F"
            return
        entry = _BY_TYPE.get(typ)
        if entry is not None:
            tag, enc = entry
            self.out += tag
            enc(self, value)
            return
        if typ is np.ndarray:
            if value.dtype.kind in ALLOWED_DTYPE_KINDS and value.dtype.fields is None:
                self.out += b"a"
                _enc_ndarray(self, value)
                return
        elif typ in _NP_SCALAR_TYPES:
            self.out += b"g"
            _enc_npscalar(self, value)
            return
        else:
            plain = _reduce(value)
            if plain is not None:
                self._one(plain)
                return
        if self.on_other is None:
            raise NotEncodable(f"{typ.__name__} has no data encoding")
        self._one(self.on_other(value))


def encode(value, *, on_other=None, max_array_bytes: int = DEFAULT_MAX_ARRAY_BYTES) -> bytes:
    """Encode value; objects without a data encoding go through on_other (-> HandleRef/CallbackRef)."""
    enc = _Encoder(on_other, max_array_bytes)
    enc.value(value)
    return bytes(enc.out)


class _Decoder:
    def __init__(self):
        self.depth = 0

    def value(self, rd: _Reader):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CodecError(f"nesting deeper than {MAX_DEPTH}")
        try:
            tag = rd.take(1)[0]
            dec = _BY_TAG.get(tag)
            if dec is None:
                raise CodecError(f"unknown tag {tag!r}")
            return dec(rd, self)
        finally:
            self.depth -= 1


def decode(data: bytes | bytearray | memoryview, *, max_array_bytes: int = DEFAULT_MAX_ARRAY_BYTES):
    """Decode one value; the whole buffer must be consumed."""
    rd = _Reader(data, max_array_bytes)
    try:
        value = _Decoder().value(rd)
    except RecursionError:
        raise CodecError("nesting too deep") from None
    if rd.pos != len(rd.view):
        raise CodecError(f"{len(rd.view) - rd.pos} trailing bytes after the value")
    return value


def is_data(value) -> bool:
    """True when value encodes without references to live objects."""
    try:
        encode(value)
    except NotEncodable:
        return False
    return True

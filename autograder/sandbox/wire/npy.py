"""npy payloads checked before numpy reads them: simple numeric dtypes, honest lengths.

An attachment's header is parsed here and compared with the bytes actually present, so a
forged header declaring a 30 GB array costs nothing; np.load runs (allow_pickle=False)
only on a payload whose header passed.
"""

from __future__ import annotations

import ast
import io
import math
import re
import struct

import numpy as np

from .caps import CodecError

MAX_NPY_HEADER = 4096
MAX_NDIM = 32
# Only kinds whose bytes are plain numbers: bool, signed, unsigned, float, complex.
ALLOWED_DTYPE_KINDS = frozenset("biufc")
NPY_MAGIC = b"\x93NUMPY"
_SIMPLE_DESCR = re.compile(r"[<>|=]?[A-Za-z?][0-9]{0,2}")


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
        raise CodecError(f"unreadable npy header: {str(exc)[:100]}") from None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise CodecError("npy header must hold exactly descr, fortran_order, shape")
    dtype = check_dtype(header["descr"])
    shape, fortran = header["shape"], header["fortran_order"]
    if type(fortran) is not bool:
        raise CodecError("npy fortran_order must be a bool")
    if type(shape) is not tuple or len(shape) > MAX_NDIM or any(type(d) is not int or d < 0 for d in shape):
        raise CodecError(f"npy shape {shape!r:.200} is not a tuple of non-negative ints")
    offset = start + hlen
    declared = math.prod(shape) * dtype.itemsize
    actual = len(view) - offset
    if declared != actual:
        raise CodecError(f"npy header declares {declared} bytes for shape {shape} but {actual} are present")
    return dtype, shape, fortran, offset


def save(array: np.ndarray) -> memoryview:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getbuffer()


def load(raw: memoryview, max_bytes: int) -> np.ndarray:
    """The array in one attachment, after its header passed the checks above."""
    dtype, shape, _, offset = parse_npy_header(raw)
    if len(raw) - offset > max_bytes:
        raise CodecError(f"ndarray of {len(raw) - offset} bytes exceeds the {max_bytes}-byte cap")
    try:
        array = np.load(io.BytesIO(raw), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        # The header already passed our checks; this only keeps numpy's own refusals typed as ours.
        raise CodecError(f"npy payload did not load: {str(exc)[:100]}") from None
    if type(array) is not np.ndarray or array.dtype != dtype or array.shape != shape:
        raise CodecError("npy payload did not load as the header declared")
    return array

"""Arrays on the wire: a dtype and a shape in the JSON part, the raw bytes as an attachment.

Only simple numeric dtypes cross, and the decoder checks the declared size against the
bytes actually present before numpy sees either, so a forged shape declaring a 30 GB
array costs nothing. numpy's own .npy container is not used: its header is a Python
literal that costs a parser run per array (more than the rest of a small call's round
trip), and everything it adds is already in the JSON part.
"""

from __future__ import annotations

import functools
import math
import re

import numpy as np

from .caps import CodecError

MAX_NDIM = 32
# Only kinds whose bytes are plain numbers: bool, signed, unsigned, float, complex.
ALLOWED_DTYPE_KINDS = frozenset("biufc")
_SIMPLE_DESCR = re.compile(r"[<>|=]?[A-Za-z?][0-9]{0,2}")


def check_dtype(descr: object) -> np.dtype:
    if not isinstance(descr, str):
        raise CodecError(f"refused dtype descr {descr!r:.40}: only simple numeric dtypes cross")
    return _dtype(descr)


@functools.lru_cache(maxsize=64)
def _dtype(descr: str) -> np.dtype:
    # np.dtype parses comma lists, brackets and field specs with its own little grammar
    # (and raises SyntaxError on some); a simple numeric descr never needs any of that.
    if _SIMPLE_DESCR.fullmatch(descr) is None:
        raise CodecError(f"refused dtype descr {descr!r:.40}: only simple numeric dtypes cross")
    try:
        dtype = np.dtype(descr)
    except (TypeError, ValueError, SyntaxError) as exc:
        raise CodecError(f"unknown dtype {descr!r}: {exc}") from None
    if dtype.kind not in ALLOWED_DTYPE_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise CodecError(f"refused dtype {dtype} (kind {dtype.kind!r}): only bool/int/uint/float/complex cross")
    return dtype


def check_shape(shape: object) -> tuple[int, ...]:
    if type(shape) is not list or len(shape) > MAX_NDIM or any(type(d) is not int or d < 0 for d in shape):
        raise CodecError(f"array shape {shape!r:.200} is not a list of at most {MAX_NDIM} non-negative ints")
    return tuple(shape)


def header(array: np.ndarray) -> tuple[str, list[int]]:
    """What the JSON part says of an array: its dtype's descr and its shape."""
    return array.dtype.str, list(array.shape)


def data(array: np.ndarray) -> bytes:
    """The array's bytes in C order, whatever its strides."""
    return array.tobytes()


def load(descr: object, shape: object, raw: memoryview, max_bytes: int) -> np.ndarray:
    """The array the attachment `raw` holds, after its declared size matched the bytes present."""
    dtype, dims = check_dtype(descr), check_shape(shape)
    declared = math.prod(dims) * dtype.itemsize
    if declared != len(raw):
        raise CodecError(f"array of shape {dims} and dtype {dtype} needs {declared} bytes but {len(raw)} are present")
    if declared > max_bytes:
        raise CodecError(f"ndarray of {declared} bytes exceeds the {max_bytes}-byte cap")
    # A copy: the array owns aligned memory of its own, not a view into the received frame.
    return np.frombuffer(raw, dtype=dtype).reshape(dims).copy()

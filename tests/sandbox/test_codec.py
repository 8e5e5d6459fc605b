"""Does every type survive the codec, and does the decoder refuse what it must?"""

import io
import math
import struct

import numpy as np
import pytest

from autograder.sandbox.codec import (
    CallbackRef, CodecError, ErrorInfo, HandleRef, NotEncodable, decode, encode, parse_npy_header,
)


def roundtrip(value):
    return decode(encode(value))


@pytest.mark.parametrize("value", [
    None, True, False, 0, -1, 2**100, -(2**70), 1.5, -0.0, float("inf"), float("-inf"), 1 + 2j,
    "", "héllo 한국어", b"\x00\xff", [], [1, [2, [3]]], (), (1, "a", None), {}, {"a": 1, 2: "b"},
    {(1, "x"): {"nested": {(2, 3): [1.0]}}}, {None: 1, 1.5: 2, True: 3},
    slice(1, None, 2), slice(None), Ellipsis,
    HandleRef(3, 17, "TwoLayerNet", False), CallbackRef(9), ErrorInfo("ValueError", "bad", "tb"),
])
def test_plain_values_round_trip_with_their_exact_type(value):
    back = roundtrip(value)
    assert back == value
    assert type(back) is type(value)


def test_nan_round_trips():
    assert math.isnan(roundtrip(float("nan")))


@pytest.mark.parametrize("scalar", [np.float64(1.25), np.float32(-2.5), np.int64(-7), np.int8(3),
                                    np.uint16(9), np.bool_(True), np.complex64(1 - 1j)])
def test_numpy_scalars_keep_dtype(scalar):
    back = roundtrip(scalar)
    assert type(back) is type(scalar) and back == scalar


@pytest.mark.parametrize("array", [
    np.array(3.5), np.arange(12, dtype=np.float32).reshape(3, 4), np.arange(5, dtype=np.int64),
    np.array([True, False]), np.zeros((0, 3)), np.zeros((2, 0, 4), dtype=np.int32),
    np.arange(24.0).reshape(4, 6)[::2, 1::2],  # non-contiguous
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.array([np.nan, np.inf, -np.inf]), np.array([1 + 2j]),
])
def test_arrays_round_trip_with_dtype_and_shape(array):
    back = roundtrip(array)
    assert type(back) is np.ndarray
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_arrays_nested_in_containers():
    params = {"W1": np.ones((2, 3)), "b1": np.zeros(3), ("layer", 2): [np.arange(3)]}
    back = roundtrip(params)
    assert set(back) == set(params)
    np.testing.assert_array_equal(back[("layer", 2)][0], np.arange(3))


def test_subclasses_are_reduced_to_plain_values():
    class LyingArray(np.ndarray):
        def __eq__(self, other):
            return True

    class MyDict(dict):
        def items(self):
            return [("fake", 1)]

    lying = np.arange(4.0).view(LyingArray)
    back = roundtrip({"a": lying, "d": MyDict(real=2)})
    assert type(back["a"]) is np.ndarray
    np.testing.assert_array_equal(back["a"], np.arange(4.0))
    assert back["d"] == {"real": 2} and type(back["d"]) is dict


def test_objects_without_encoding_go_through_on_other():
    class Layer:
        pass

    refs = []

    def on_other(obj):
        refs.append(obj)
        return HandleRef(1, len(refs), type(obj).__name__, callable(obj))

    back = decode(encode({"layer": Layer(), "f": len}, on_other=on_other))
    assert back["layer"] == HandleRef(1, 1, "Layer", False)
    assert back["f"].is_callable
    with pytest.raises(NotEncodable):
        encode(Layer())


def test_object_dtype_is_refused_on_both_sides():
    with pytest.raises(NotEncodable):
        encode(np.array([{}, 1], dtype=object))
    buf = io.BytesIO()
    np.save(buf, np.array(["ab"]), allow_pickle=False)
    raw = buf.getvalue()
    with pytest.raises(CodecError, match="refused dtype"):
        decode(b"a" + struct.pack(">Q", len(raw)) + raw)


def _forged_npy(descr, shape, payload):
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + payload


def test_forged_header_declaring_a_huge_array_is_refused_without_allocating():
    npy = _forged_npy("<f8", (60000, 60000), b"\x00" * 16)  # declares ~29 GB
    with pytest.raises(CodecError, match="declares"):
        parse_npy_header(npy)
    with pytest.raises(CodecError):
        decode(b"a" + struct.pack(">Q", len(npy)) + npy)


@pytest.mark.parametrize("descr", ["|O", "<U3", "|V8", [("a", "<f8")], "<M8[s]"])
def test_non_numeric_dtypes_are_refused(descr):
    with pytest.raises(CodecError):
        parse_npy_header(_forged_npy(descr, (1,), b"\x00" * 8))


def test_shape_mismatch_and_negative_shape_are_refused():
    with pytest.raises(CodecError):
        parse_npy_header(_forged_npy("<f8", (3,), b"\x00" * 16))
    with pytest.raises(CodecError):
        parse_npy_header(_forged_npy("<f8", (-2,), b""))


def test_truncated_values_are_refused():
    raw = encode({"x": np.arange(10.0), "s": "text"})
    for cut in (1, 5, len(raw) // 2, len(raw) - 1):
        with pytest.raises(CodecError):
            decode(raw[:cut])


def test_lying_counts_and_trailing_bytes_are_refused():
    with pytest.raises(CodecError, match="count"):
        decode(b"l" + struct.pack(">I", 10**9) + b"N")
    with pytest.raises(CodecError, match="trailing"):
        decode(encode(1) + b"N")
    with pytest.raises(CodecError, match="unknown tag"):
        decode(b"Z")


def test_unhashable_dict_key_is_refused():
    raw = b"d" + struct.pack(">I", 1) + encode([1]) + encode(2)
    with pytest.raises(CodecError, match="key"):
        decode(raw)


def test_array_cap_is_enforced_on_both_sides():
    with pytest.raises(NotEncodable):
        encode(np.zeros(1000), max_array_bytes=100)
    with pytest.raises(CodecError):
        decode(encode(np.zeros(1000)), max_array_bytes=100)


def test_deep_nesting_is_refused():
    value = []
    for _ in range(100):
        value = [value]
    with pytest.raises(NotEncodable):
        encode(value)
    raw = b"l\x00\x00\x00\x01" * 100 + b"N"
    with pytest.raises(CodecError):
        decode(raw)

"""Does every type survive the codec, and does the decoder refuse what it must?"""

import json
import math
import struct

import numpy as np
import pytest

from autograder.sandbox.wire.codec import Caps, CodecError, NotEncodable, decode, encode
from autograder.sandbox.wire.arrays import check_dtype
from autograder.sandbox.wire.values import CallbackRef, ErrorInfo, HandleRef


def roundtrip(value):
    return decode(encode(value))


def frame(doc, *attachments):
    """A message built by hand: the JSON part (str or raw bytes) and raw attachments."""
    raw = doc.encode("utf-8") if isinstance(doc, str) else doc
    out = struct.pack(">I", len(raw)) + raw + struct.pack(">I", len(attachments))
    for att in attachments:
        out += struct.pack(">Q", len(att)) + att
    return out


def json_part(message):
    length = struct.unpack(">I", message[:4])[0]
    return message[4:4 + length].decode("utf-8")


def array_doc(at=0, dtype="<f8", shape=(3,)):
    """The JSON form of an array whose bytes are attachment `at`."""
    return json.dumps({"$ndarray": {"at": at, "dtype": dtype, "shape": list(shape)}})


@pytest.mark.parametrize("value", [
    None, True, False, 0, -1, 2**100, -(2**70), 10**3000, 1.5, -0.0, 0.1, 1 / 3, 5e-324, 1.7976931348623157e308,
    1e16, float("inf"), float("-inf"), 1 + 2j, complex(float("inf"), -0.0),
    "", "héllo 한국어", "lone \udc80 surrogate", '{"$tuple": []}', b"\x00\xff", b"",
    [], [1, [2, [3]]], (), (1, "a", None),
    {}, {"a": 1, 2: "b"}, {"$dict": 1}, {(1, "x"): {"nested": {(2, 3): [1.0]}}}, {None: 1, 1.5: 2, True: 3},
    {b"k": 1, 2j: 2, (): 3}, slice(1, None, 2), slice(None), Ellipsis,
    HandleRef(3, 17, "TwoLayerNet", False), CallbackRef(9), ErrorInfo("ValueError", "bad", "tb"),
    ErrorInfo("KeyError", "k", "tb", (("cell 2", 5, "simpleNet.loss"), ("cell 1", 3, "softmax"))),
])
def test_plain_values_round_trip_with_their_exact_type(value):
    back = roundtrip(value)
    assert back == value
    assert type(back) is type(value)


def test_error_frames_that_are_not_label_line_name_do_not_leave():
    for frames in ([("cell 1", 3, "f")], (("cell 1", "3", "f"),), (("cell 1", 3),), (("c", 1, "f"),) * 33):
        with pytest.raises(NotEncodable, match="frames"):
            encode(ErrorInfo("E", "m", "t", frames))


def test_floats_round_trip_bit_for_bit():
    for value in (-0.0, 0.1, 1 / 3, 5e-324, 2.0**-1074, 1e16, 123456789.123456789):
        assert struct.pack(">d", roundtrip(value)) == struct.pack(">d", value)
    assert math.copysign(1.0, roundtrip(-0.0)) == -1.0


def test_nan_round_trips():
    assert math.isnan(roundtrip(float("nan")))
    back = roundtrip(complex(float("nan"), 1.0))
    assert math.isnan(back.real) and back.imag == 1.0


def test_json_part_is_the_documented_tagged_form():
    message = encode({"w": (1, 2.5, None, True), "n": float("nan"), "s": "x"})
    assert json_part(message) == (
        '{"$dict":[["w",{"$tuple":[1,2.5,null,true]}],["n",{"$float":"nan"}],["s","x"]]}')
    assert message.endswith(struct.pack(">I", 0))
    json.loads(json_part(encode(np.float32(0.5))))  # strict JSON: no NaN/Infinity literals anywhere


@pytest.mark.parametrize("scalar", [np.float64(1.25), np.float32(-2.5), np.float16(0.1), np.int64(-7), np.int8(3),
                                    np.uint16(9), np.uint64(2**64 - 1), np.bool_(True), np.complex64(1 - 1j),
                                    np.complex128(2 + 0.1j), np.float32("nan"), np.float64("-inf"),
                                    np.longdouble(1) / np.longdouble(3)])
def test_numpy_scalars_keep_dtype(scalar):
    back = roundtrip(scalar)
    assert type(back) is type(scalar)
    assert back == scalar or (np.isnan(back) and np.isnan(scalar))


def test_numpy_scalars_need_no_attachment():
    message = encode(np.float32(0.5))
    assert json_part(message) == '{"$np":{"dtype":"<f4","value":0.5}}'


@pytest.mark.parametrize("array", [
    np.array(3.5), np.array(7, dtype=np.int8), np.arange(12, dtype=np.float32).reshape(3, 4),
    np.arange(5, dtype=np.int64), np.array([True, False]), np.zeros((0, 3)), np.zeros((2, 0, 4), dtype=np.int32),
    np.arange(24.0).reshape(4, 6)[::2, 1::2],  # non-contiguous
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.array([np.nan, np.inf, -np.inf]), np.array([1 + 2j]), np.array([1 - 1j], dtype=np.complex64),
    np.arange(3, dtype=">i4"),
])
def test_arrays_round_trip_with_dtype_and_shape(array):
    back = roundtrip(array)
    assert type(back) is np.ndarray
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_arrays_nested_in_containers():
    params = {"W1": np.ones((2, 3)), "b1": np.zeros(3), ("layer", 2): [np.arange(3)]}
    message = encode(params)
    assert struct.pack(">I", 3) in message and '{"$ndarray":{"at":2,"dtype":"<i8","shape":[3]}}' in json_part(message)
    back = decode(message)
    assert set(back) == set(params)
    np.testing.assert_array_equal(back[("layer", 2)][0], np.arange(3))
    same = np.arange(2.0)
    first, second = roundtrip([same, same])  # one array twice: two attachments, two arrays back
    np.testing.assert_array_equal(first, second)


def test_subclasses_are_reduced_to_plain_values():
    class LyingArray(np.ndarray):
        def __eq__(self, other):
            return True

    class MyDict(dict):
        def items(self):
            return [("fake", 1)]

    class MyStr(str):
        def __str__(self):
            return "fake"

    class MyFloat(float):
        def __repr__(self):
            return "NaN"

    lying = np.arange(4.0).view(LyingArray)
    back = roundtrip({"a": lying, "d": MyDict(real=2), "s": MyStr("real"), "f": MyFloat(2.5)})
    assert type(back["a"]) is np.ndarray
    np.testing.assert_array_equal(back["a"], np.arange(4.0))
    assert back["d"] == {"real": 2} and type(back["d"]) is dict
    assert back["s"] == "real" and type(back["s"]) is str
    assert back["f"] == 2.5 and type(back["f"]) is float


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
        encode([Layer()])


def test_object_dtype_is_refused_on_both_sides():
    with pytest.raises(NotEncodable):
        encode(np.array([{}, 1], dtype=object))
    with pytest.raises(NotEncodable):
        encode(np.array(["ab"]))
    with pytest.raises(CodecError, match="refused dtype"):
        decode(frame(array_doc(dtype="<U2", shape=(1,)), np.array(["ab"]).tobytes()))
    with pytest.raises(CodecError, match="refused dtype"):
        decode(frame('{"$np":{"dtype":"|O","value":1}}'))


def test_forged_shape_declaring_a_huge_array_is_refused_without_allocating():
    forged = frame(array_doc(shape=(60000, 60000)), b"\x00" * 16)  # declares ~29 GB
    with pytest.raises(CodecError, match="needs 28800000000 bytes but 16 are present"):
        decode(forged)


@pytest.mark.parametrize("descr", ["|O", "<U3", "|V8", [["a", "<f8"]], "<M8[s]", 8, None])
def test_non_numeric_dtypes_are_refused(descr):
    with pytest.raises(CodecError, match="dtype"):
        decode(frame(array_doc(dtype=descr, shape=(1,)), b"\x00" * 8))


@pytest.mark.parametrize("shape, size", [((3,), 16), ((-2,), 0), ([1.5], 8), (["2"], 16), ((1,) * 33, 8)])
def test_shape_mismatch_and_odd_shapes_are_refused(shape, size):
    with pytest.raises(CodecError, match="shape|bytes"):
        decode(frame(array_doc(shape=shape), b"\x00" * size))


def test_a_shape_that_is_not_a_list_is_refused():
    for shape in ('{"$tuple":[3]}', '3', 'null'):
        with pytest.raises(CodecError, match="shape"):
            decode(frame('{"$ndarray":{"at":0,"dtype":"<f8","shape":%s}}' % shape, b"\x00" * 24))


def test_an_array_record_needs_exactly_its_fields():
    for doc in ('{"$ndarray":0}', '{"$ndarray":{"at":0,"dtype":"<f8"}}',
                '{"$ndarray":{"at":0,"dtype":"<f8","shape":[3],"fortran":true}}'):
        with pytest.raises(CodecError, match="exactly the keys"):
            decode(frame(doc, b"\x00" * 24))


def test_decoded_arrays_own_their_memory():
    back = decode(encode([np.arange(3.0), np.arange(4, dtype=np.int32)]))
    for array in back:
        assert array.flags.owndata and array.flags.writeable and array.flags.aligned


def test_truncated_values_are_refused():
    raw = encode({"x": np.arange(10.0), "s": "text"})
    for cut in (0, 1, 3, 5, 10, len(raw) // 2, len(raw) - 1):
        with pytest.raises(CodecError):
            decode(raw[:cut])


def test_lying_lengths_counts_and_trailing_bytes_are_refused():
    with pytest.raises(CodecError, match="cap"):
        decode(struct.pack(">I", 2**32 - 1) + b"null")  # declares a 4 GB JSON part
    with pytest.raises(CodecError, match="truncated"):
        decode(struct.pack(">I", 100) + b"null" + struct.pack(">I", 0))
    with pytest.raises(CodecError, match="count"):
        decode(frame("null")[:-4] + struct.pack(">I", 10**9))
    with pytest.raises(CodecError, match="truncated"):
        decode(frame("null")[:-4] + struct.pack(">I", 1) + struct.pack(">Q", 1000) + b"x" * 8)
    with pytest.raises(CodecError, match="trailing"):
        decode(encode(1) + b"N")
    with pytest.raises(CodecError, match="unknown tag"):
        decode(frame('{"$set":[1]}'))


@pytest.mark.parametrize("doc, match", [
    ('{"$tuple":[],"$dict":[]}', "exactly one tag"),
    ('{"$tuple":[],"$tuple":[]}', "exactly one tag"),  # duplicate key: json.loads alone would keep the last
    ('{}', "exactly one tag"),
    ('{"a":1}', "unknown tag"),
    ('{"tuple":[1]}', "unknown tag"),
    ('{"$float":"1.5"}', "float"),
    ('{"$float":null}', "float"),
    ('NaN', "constant"),
    ('[1,-Infinity]', "constant"),
    ('1e999', "finite"),
    ('{"$complex":[1,2]}', "complex"),
    ('{"$slice":[1,2]}', "slice"),
    ('{"$slice":["a",null,null]}', "slice"),
    ('{"$ellipsis":0}', "ellipsis"),
    ('{"$bytes":"not base64!"}', "base64"),
    ('{"$tuple":{"$tuple":[]}}', "tuple"),
    ('{"$dict":[[1,2,3]]}', "pairs"),
    ('{"$dict":[["k",1],["k",2]]}', "duplicate"),
    ('{"$np":{"dtype":"<f4","value":0.1}}', "exactly"),
    ('{"$np":{"dtype":"|i1","value":300}}', "int in"),
    ('{"$np":{"dtype":"<f8","value":1}}', "float"),
    ('{"$np":{"dtype":"<f8"}}', "keys"),
    ('{"$handle":{"generation":-1,"oid":1,"type_name":"x","is_callable":false}}', "generation"),
    ('{"$handle":{"generation":1,"oid":1,"type_name":"x","is_callable":0}}', "is_callable"),
    ('{"$handle":{"generation":1,"oid":1,"type_name":"x","is_callable":false,"extra":1}}', "keys"),
    ('{"$callback":true}', "callback"),
    ('{"$error":{"exc_type":"E","message":"m","traceback":1,"frames":[]}}', "strings"),
    ('{"$error":{"exc_type":"E","message":"m","traceback":"t"}}', "keys"),
    ('{"$error":{"exc_type":"E","message":"m","traceback":"t","frames":[["cell 1",-1,"f"]]}}', "frames"),
    ('{"$error":{"exc_type":"E","message":"m","traceback":"t","frames":[["cell 1",true,"f"]]}}', "frames"),
    ('{"$error":{"exc_type":"E","message":"m","traceback":"t","frames":[["cell 1",3]]}}', "frames"),
    ('{"$error":{"exc_type":"E","message":"m","traceback":"t","frames":{"$tuple":[]}}}', "frames"),
    ('{"$error":{"exc_type":"E","message":"m","traceback":"t","frames":[' + ",".join(['["c",1,"f"]'] * 33)
     + ']}}', "frames"),
])
def test_malformed_json_values_are_refused(doc, match):
    with pytest.raises(CodecError, match=match):
        decode(frame(doc))


def test_attachment_indexes_must_be_in_range_used_once_and_all_used():
    att = np.arange(3.0).tobytes()
    assert decode(frame(f'[{array_doc()}]', att))[0].shape == (3,)
    for at in (1, -1, True, "0"):
        with pytest.raises(CodecError, match="attachments"):
            decode(frame(array_doc(at=at), att))
    with pytest.raises(CodecError, match="twice"):
        decode(frame(f'[{array_doc()},{array_doc()}]', att))
    with pytest.raises(CodecError, match="not referenced"):
        decode(frame("[]", att))
    with pytest.raises(CodecError, match="not referenced"):
        decode(frame(array_doc(), att, att))


@pytest.mark.parametrize("doc", [b'"\xff"', b'"\xed\xb2\x80"', b"[1,", b"[1] [2]", b"", b"{'a': 1}", b"[1,]"])
def test_invalid_utf8_and_invalid_json_are_refused(doc):
    with pytest.raises(CodecError, match="utf-8|JSON"):
        decode(frame(doc))


def test_unhashable_dict_key_is_refused():
    with pytest.raises(CodecError, match="key"):
        decode(frame('{"$dict":[[[1],2]]}'))
    with pytest.raises(CodecError, match="key"):
        decode(frame('{"$dict":[[{"$handle":{"generation":1,"oid":1,"type_name":"x","is_callable":false}},2]]}'))


def test_big_ints_are_bounded_on_both_sides():
    with pytest.raises(NotEncodable):
        encode(10**5000)
    with pytest.raises(CodecError, match="digits"):
        decode(frame("1" * 5000))
    with pytest.raises(CodecError, match="digits"):
        decode(frame("-" + "1" * 5000))


def test_array_cap_is_enforced_on_both_sides():
    with pytest.raises(NotEncodable):
        encode(np.zeros(1000), caps=Caps(array_bytes=100))
    with pytest.raises(CodecError):
        decode(encode(np.zeros(1000)), caps=Caps(array_bytes=100))
    with pytest.raises(CodecError, match="cap"):
        decode(frame(array_doc(), np.zeros(2).tobytes()).replace(
            struct.pack(">Q", 16), struct.pack(">Q", 2**62)), caps=Caps(array_bytes=100))
    with pytest.raises(CodecError, match="cap"):
        decode(frame(array_doc(shape=(20,)), np.zeros(20).tobytes()), caps=Caps(array_bytes=100))


def test_json_size_cap_is_enforced_on_both_sides():
    with pytest.raises(NotEncodable):
        encode("x" * 100, caps=Caps(json_bytes=50))
    with pytest.raises(CodecError, match="cap"):
        decode(encode("x" * 100), caps=Caps(json_bytes=50))


def test_deep_nesting_is_refused():
    value = []
    for _ in range(100):
        value = [value]
    with pytest.raises(NotEncodable):
        encode(value)
    with pytest.raises(CodecError, match="nesting"):
        decode(frame("[" * 100 + "null" + "]" * 100))
    with pytest.raises(CodecError, match="nesting"):
        decode(frame('{"$tuple":[' * 100 + "]}" * 100))
    with pytest.raises(CodecError, match="nesting"):
        decode(frame("[" * 200_000 + "]" * 200_000))  # deeper than the interpreter's recursion limit


def test_odd_descrs_are_refused_as_codec_errors():
    for descr in ("<f1 0", "|,1", "f8,f8", "(2,)f8", "<M8[s]"):  # np.dtype raises SyntaxError on some
        with pytest.raises(CodecError):
            check_dtype(descr)


def test_mutated_messages_raise_only_codec_error():
    rng = np.random.default_rng(7)
    seeds = [encode({"W": np.ones((2, 3), dtype=np.float32), "k": (1, 2.5, None, "s", b"b"), 3: [np.int8(4)]}),
             encode([HandleRef(1, 2, "x", True), CallbackRef(3), ErrorInfo("a", "b", "c"), slice(1, 2), Ellipsis, 1j])]
    alphabet = b'{}[]",:$0123456789aeflnrstu'
    for _ in range(3000):
        raw = bytearray(seeds[rng.integers(len(seeds))])
        for _ in range(rng.integers(1, 4)):
            pos = int(rng.integers(len(raw)))
            if rng.random() < 0.5:
                raw[pos] = int(rng.integers(256))
            elif rng.random() < 0.5:
                del raw[pos:pos + int(rng.integers(1, 8))]
            else:
                raw[pos] = alphabet[rng.integers(len(alphabet))]
        try:
            decode(bytes(raw))
        except CodecError:
            pass

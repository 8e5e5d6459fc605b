"""Does a message cost the decoder at most its caps, and do encoder and decoder agree on them?"""

import json
import struct
import tracemalloc

import numpy as np
import pytest

from autograder.sandbox.wire.caps import MAX_KEY_INT, Caps, separators
from autograder.sandbox.wire.codec import CodecError, NotEncodable, decode, encode
from autograder.sandbox.wire.values import ErrorInfo, HandleRef


def frame(doc: str) -> bytes:
    raw = doc.encode("utf-8")
    return struct.pack(">I", len(raw)) + raw + struct.pack(">I", 0)


def peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
    except CodecError:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


SAMPLES = [
    [1, 2.5, "abc", None, (True, b"xy")],
    {"W1": np.ones((2, 2)), "b": [1, 2, 3], ("k", 2): {"deep": (1j, slice(1, 2))}},
    [HandleRef(1, 2, "Net", False), ErrorInfo("ValueError", "bad value", "tb"), np.float32(1.5), np.longdouble(2)],
    ["x" * 50, "y" * 70, {"é": "한국어"}],
]


@pytest.mark.parametrize("value", SAMPLES)
@pytest.mark.parametrize("cap", ["values", "string_bytes", "dict_keys"])
def test_encoder_and_decoder_agree_on_every_cap(value, cap):
    """Whatever the cap, a message the encoder writes is one the decoder accepts, and
    the smallest cap the encoder accepts is the smallest the decoder accepts."""
    def encodes(n):
        try:
            encode(value, caps=Caps(**{cap: n}))
            return True
        except NotEncodable:
            return False

    def decodes(n):
        try:
            decode(encode(value), caps=Caps(**{cap: n}))
            return True
        except CodecError:
            return False

    results = [(n, encodes(n), decodes(n)) for n in range(1, 400)]
    assert all(e == d for _, e, d in results), [r for r in results if r[1] != r[2]]
    assert any(e for _, e, _ in results) or cap == "values"


def test_ten_million_empty_lists_are_refused_before_they_are_built():
    doc = "[" + ",".join(["[]"] * 10_000_000) + "]"
    raw = frame(doc)
    with pytest.raises(CodecError, match="values"):
        decode(raw)
    # json.loads alone would build 10M lists (over 600 MB): the refusal costs about the
    # message itself (its text, decoded once).
    assert peak_bytes(lambda: decode(raw)) < 3 * len(raw)


def test_a_dict_of_400k_entries_is_refused_whichever_cap_it_meets_first():
    value = {i: 0 for i in range(400_000)}
    with pytest.raises(NotEncodable):
        encode(value)
    doc = '{"$dict":[' + ",".join(f"[{i},0]" for i in range(400_000)) + "]}"
    with pytest.raises(CodecError, match="values|dict entries"):
        decode(frame(doc))
    with pytest.raises(CodecError, match="dict entries"):
        decode(frame(doc), caps=Caps(values=10_000_000))


def test_strings_past_the_cap_are_refused_on_both_sides():
    with pytest.raises(NotEncodable, match="strings"):
        encode(["x" * 1000] * 5, caps=Caps(string_bytes=4000))
    with pytest.raises(CodecError, match="strings"):
        decode(encode(["x" * 1000] * 5), caps=Caps(string_bytes=4000))
    with pytest.raises(CodecError, match="strings"):   # a long exception name counts too
        decode(encode(ErrorInfo("E" * 5000, "", "")), caps=Caps(string_bytes=4000))


def test_dict_keys_whose_hashes_collide_are_refused():
    """Ints from 2**61 - 1 on share hashes; a dict of them takes quadratic time to build."""
    colliding = [(k * ((1 << 61) - 1)) for k in range(1, 4)]
    doc = '{"$dict":[' + ",".join(f"[{k},0]" for k in colliding) + "]}"
    with pytest.raises(CodecError, match="key"):
        decode(frame(doc))
    doc = '{"$dict":[[{"$tuple":[' + str(colliding[0]) + ']},0]]}'
    with pytest.raises(CodecError, match="key"):
        decode(frame(doc))
    assert decode(encode({MAX_KEY_INT: 1, -MAX_KEY_INT: 2})) == {MAX_KEY_INT: 1, -MAX_KEY_INT: 2}
    assert decode(encode([10 ** 100])) == [10 ** 100]  # a big int as a value is fine


def test_separators_bound_the_values_json_would_build():
    for value in SAMPLES + [[[[]]], {"a": {"b": {}}}, ""]:
        text = json.dumps(json.loads(encode(value)[4:4 + struct.unpack(">I", encode(value)[:4])[0]]))
        assert separators(text) + 1 >= _count_json_values(json.loads(text))


def _count_json_values(node) -> int:
    if isinstance(node, list):
        return 1 + sum(_count_json_values(v) for v in node)
    if isinstance(node, dict):
        return 1 + sum(_count_json_values(v) for v in node.values())
    return 1


def test_caps_must_be_positive_ints():
    with pytest.raises(ValueError, match="values"):
        Caps(values=0)
    with pytest.raises(ValueError, match="string_bytes"):
        Caps(string_bytes=1.5)

"""Are messages typed: the child's configuration, requests and responses, and forgeries refused?"""

import dataclasses

import pytest

from autograder.sandbox.wire import codec, protocol
from autograder.sandbox.wire.caps import Caps
from autograder.sandbox.wire.protocol import ChildConfig, ProtocolViolation, Response, Status
from autograder.sandbox.wire.values import ErrorInfo

CAPS = Caps()
CONFIG = ChildConfig(generation=3, uid=61001, cpu_seconds=330, memory_bytes=1 << 31, file_bytes=1 << 24,
                     open_files=64, processes=32, preload=False, block_userns=True, max_frame_bytes=1 << 27,
                     max_array_bytes=1 << 26, max_values=1 << 19, max_string_bytes=1 << 22, max_dict_keys=65536)


def test_the_configuration_round_trips_typed():
    back = protocol.config_from_wire(protocol.config_to_wire(CONFIG))
    assert back == CONFIG and type(back.preload) is bool
    assert back.reply_caps() == Caps(array_bytes=1 << 26, values=1 << 19, string_bytes=1 << 22, dict_keys=65536)
    assert len(protocol.config_to_wire(CONFIG)) < protocol.CONFIG_FRAME_BYTES


@pytest.mark.parametrize("change", [
    {"uid": "61001"}, {"preload": 0}, {"open_files": True}, {"extra": 1}, {"generation": None},
])
def test_a_configuration_of_the_wrong_shape_is_refused(change):
    record = {**dataclasses.asdict(CONFIG), **change}
    with pytest.raises(ProtocolViolation):
        protocol.config_from_wire(codec.encode({"config": record}))
    with pytest.raises(ProtocolViolation):
        protocol.config_from_wire(codec.encode(["not", "a", "config"]))


def reply(**body):
    return codec.encode(body)


@pytest.mark.parametrize("body, words", [
    ({"status": "exited", "code": 10 ** 100}, "exit code"),
    ({"status": "exited", "code": "x" * 10 ** 6}, "exit code"),
    ({"status": "ok", "value": 1, "mutated": {-1: 2}}, "mutated"),
    ({"status": "ok", "value": 1, "mutated": [1]}, "mutated"),
    ({"status": "callback", "cid": "1", "args": [], "kwargs": {}}, "callback"),
    ({"status": "callback", "cid": 1, "args": [], "kwargs": {1: 2}}, "callback"),
    ({"status": "raised", "error": "boom"}, "ErrorInfo"),
    ({"status": "s" * 10 ** 6}, "unknown status"),
])
def test_forged_responses_are_violations_with_short_messages(body, words):
    with pytest.raises(ProtocolViolation, match=words) as info:
        protocol.response_from_wire(reply(**body), caps=CAPS)
    assert len(str(info.value)) < 300


def test_requests_and_responses_round_trip():
    req = protocol.Request(protocol.Op.CALL, {"target": None, "args": [1], "kwargs": {"a": 2}}, [4, 5])
    back = protocol.request_from_wire(protocol.request_to_wire(req, caps=CAPS), caps=CAPS)
    assert (back.op, back.fields, back.release) == (req.op, req.fields, req.release)
    resp = Response(Status.RAISED, {"error": ErrorInfo("E", "m", "t")})
    assert protocol.response_from_wire(protocol.response_to_wire(resp, caps=CAPS), caps=CAPS) == resp


def test_requests_carry_large_sources_that_replies_may_not():
    """A notebook cell may be long; a reply of the same size is over the reply caps."""
    source = "x = [" + ", ".join(["1"] * 2_000_000) + "]\n"
    caps = protocol.request_caps(1 << 20)
    req = protocol.Request(protocol.Op.EXEC_BLOCK, {"label": "cell 1", "source": source})
    assert protocol.request_from_wire(protocol.request_to_wire(req, caps=caps), caps=caps)["source"] == source
    with pytest.raises(codec.NotEncodable):
        protocol.response_to_wire(Response(Status.OK, {"value": source, "mutated": {}}), caps=CAPS)

"""Typed messages between the trusted side and the shim.

A request names an operation and carries the fields that operation needs; a response
carries a status and the fields that status needs. Both travel as one codec-encoded dict
per frame. from_wire checks the shape, so a forged or garbled message is a
ProtocolViolation, never a half-read value. Imported by the shim: no grader imports.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from . import codec


class ProtocolViolation(ValueError):
    """A frame decoded but is not a message of the expected shape."""


class Op(str, enum.Enum):
    EXEC_BLOCK = "exec_block"          # label, source
    NAMES = "names"                    # -
    GETATTR = "getattr"                # target, name
    SETATTR = "setattr"                # target, name, value
    GETITEM = "getitem"                # target, key
    SETITEM = "setitem"                # target, key, value
    CALL = "call"                      # target, args, kwargs
    REF = "ref"                        # target, name or key -> always a handle
    FETCH = "fetch"                    # target -> data if it has an encoding
    CALLBACK_RETURN = "callback_return"  # value
    CALLBACK_RAISE = "callback_raise"    # error


class Status(str, enum.Enum):
    OK = "ok"                    # value, mutated
    RAISED = "raised"            # error
    CALLBACK = "callback"        # cid, args, kwargs: the sandbox asks the trusted side to run cid
    UNSAFE = "unsafe"            # error: the result has no encoding
    EXITED = "exited"            # code: student code raised SystemExit
    BAD_REQUEST = "bad_request"  # error: the shim could not understand the request


REQUEST_FIELDS = {
    Op.EXEC_BLOCK: ("label", "source"),
    Op.NAMES: (),
    Op.GETATTR: ("target", "name"),
    Op.SETATTR: ("target", "name", "value"),
    Op.GETITEM: ("target", "key"),
    Op.SETITEM: ("target", "key", "value"),
    Op.CALL: ("target", "args", "kwargs"),
    Op.REF: ("target", "name", "key"),
    Op.FETCH: ("target",),
    Op.CALLBACK_RETURN: ("value",),
    Op.CALLBACK_RAISE: ("error",),
}

RESPONSE_FIELDS = {
    Status.OK: ("value", "mutated"),
    Status.RAISED: ("error",),
    Status.CALLBACK: ("cid", "args", "kwargs"),
    Status.UNSAFE: ("error",),
    Status.EXITED: ("code",),
    Status.BAD_REQUEST: ("error",),
}


@dataclass
class Request:
    op: Op
    fields: dict = field(default_factory=dict)
    release: list = field(default_factory=list)  # object ids the trusted side no longer references

    def __getitem__(self, name):
        return self.fields[name]


@dataclass
class Response:
    status: Status
    fields: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.fields[name]


def _check(kind: str, fields: dict, wanted: tuple) -> dict:
    missing = [name for name in wanted if name not in fields]
    if missing:
        raise ProtocolViolation(f"{kind} lacks fields {missing}")
    return {name: fields[name] for name in wanted}


def request_to_wire(req: Request, *, on_other=None, max_array_bytes=codec.DEFAULT_MAX_ARRAY_BYTES) -> bytes:
    body = dict(_check(req.op.value, req.fields, REQUEST_FIELDS[req.op]))
    body["op"] = req.op.value
    body["release"] = list(req.release)
    return codec.encode(body, on_other=on_other, max_array_bytes=max_array_bytes)


def request_from_wire(raw, *, max_array_bytes=codec.DEFAULT_MAX_ARRAY_BYTES) -> Request:
    body = codec.decode(raw, max_array_bytes=max_array_bytes)
    if type(body) is not dict or "op" not in body:
        raise ProtocolViolation("a request is a dict with an op")
    try:
        op = Op(body["op"])
    except ValueError:
        raise ProtocolViolation(f"unknown op {body['op']!r}") from None
    release = body.get("release", [])
    if type(release) is not list or any(type(oid) is not int for oid in release):
        raise ProtocolViolation("release must be a list of ints")
    return Request(op, _check(op.value, body, REQUEST_FIELDS[op]), release)


def response_to_wire(resp: Response, *, on_other=None, max_array_bytes=codec.DEFAULT_MAX_ARRAY_BYTES) -> bytes:
    body = dict(_check(resp.status.value, resp.fields, RESPONSE_FIELDS[resp.status]))
    body["status"] = resp.status.value
    return codec.encode(body, on_other=on_other, max_array_bytes=max_array_bytes)


def response_from_wire(raw, *, max_array_bytes=codec.DEFAULT_MAX_ARRAY_BYTES) -> Response:
    body = codec.decode(raw, max_array_bytes=max_array_bytes)
    if type(body) is not dict or "status" not in body:
        raise ProtocolViolation("a response is a dict with a status")
    try:
        status = Status(body["status"])
    except ValueError:
        raise ProtocolViolation(f"unknown status {body['status']!r}") from None
    fields = _check(status.value, body, RESPONSE_FIELDS[status])
    if status in (Status.RAISED, Status.UNSAFE, Status.BAD_REQUEST) and type(fields["error"]) is not codec.ErrorInfo:
        raise ProtocolViolation(f"{status.value} must carry an ErrorInfo")
    if status is Status.OK and type(fields["mutated"]) is not dict:
        raise ProtocolViolation("ok must carry a dict of mutated arguments")
    return Response(status, fields)

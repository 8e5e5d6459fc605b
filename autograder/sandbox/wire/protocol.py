"""Typed messages between the trusted side and the shim.

The first message on the request pipe is the child's configuration (ChildConfig); after
it, a request names an operation and carries the fields that operation needs, and a
response carries a status and the fields that status needs. Each travels as one
codec-encoded dict per frame. from_wire checks the shape and the type of every field the
receiver acts on, so a forged or garbled message is a ProtocolViolation, never a
half-read value. Every request has a sequence number and every response names the
request it answers, so a frame student code wrote onto the pipe can at most answer the
current request, never shift the answers of the requests after it.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field

from . import codec
from .caps import MAX_JSON_BYTES, Caps, clipped_repr


class ProtocolViolation(ValueError):
    """A frame decoded but is not a message of the expected shape."""


class Op(str, enum.Enum):
    EXEC_BLOCK = "exec_block"          # label, source
    GETATTR = "getattr"                # target, name
    SETATTR = "setattr"                # target, name, value
    GETITEM = "getitem"                # target, key
    SETITEM = "setitem"                # target, key, value
    CALL = "call"                      # target, args, kwargs
    REF = "ref"                        # target, name or key -> always a handle
    FETCH = "fetch"                    # target -> data if it has an encoding
    WRITE_INTO = "write_into"          # target, values: target[key][...] = value for each
    SUBTRACT_FROM = "subtract_from"    # target, name, values: target.name[key] -= value for each
    PROBE = "probe"                    # target, indices, h, fn, args, kwargs: fn(...) at target[i] +- h
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
    Op.GETATTR: ("target", "name"),
    Op.SETATTR: ("target", "name", "value"),
    Op.GETITEM: ("target", "key"),
    Op.SETITEM: ("target", "key", "value"),
    Op.CALL: ("target", "args", "kwargs"),
    Op.REF: ("target", "name", "key"),
    Op.FETCH: ("target",),
    Op.WRITE_INTO: ("target", "values"),
    Op.SUBTRACT_FROM: ("target", "name", "values"),
    Op.PROBE: ("target", "indices", "h", "fn", "args", "kwargs"),
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

# Exit statuses are C ints; anything else in an EXITED message was not written by the shim.
EXIT_CODE_RANGE = range(-(1 << 31), 1 << 31)


@dataclass
class Request:
    op: Op
    fields: dict = field(default_factory=dict)
    release: list = field(default_factory=list)  # object ids the trusted side no longer references
    seq: int = 0

    def __getitem__(self, name):
        return self.fields[name]


@dataclass
class Response:
    status: Status
    fields: dict = field(default_factory=dict)
    seq: int = 0                                 # of the request this answers

    def __getitem__(self, name):
        return self.fields[name]


def request_caps(array_bytes: int) -> Caps:
    """Requests are built by the trusted side (a student's source, a test's arrays): only
    the JSON part and each array are bounded, so a large notebook cell still loads."""
    return Caps(array_bytes=array_bytes, values=MAX_JSON_BYTES, string_bytes=MAX_JSON_BYTES,
                dict_keys=MAX_JSON_BYTES)


def _check(kind: str, fields: dict, wanted: tuple) -> dict:
    missing = [name for name in wanted if name not in fields]
    if missing:
        raise ProtocolViolation(f"{kind} lacks fields {missing}")
    return {name: fields[name] for name in wanted}


def request_to_wire(req: Request, *, on_other=None, caps: Caps) -> bytes:
    body = dict(_check(req.op.value, req.fields, REQUEST_FIELDS[req.op]))
    body["op"] = req.op.value
    body["release"] = list(req.release)
    body["seq"] = req.seq
    return codec.encode(body, on_other=on_other, caps=caps)


def _decoded(raw, caps: Caps, key: str, kind):
    """The message's body and its `key` read as the enum `kind` (op or status)."""
    body = codec.decode(raw, caps=caps)
    if type(body) is not dict or key not in body:
        raise ProtocolViolation(f"a message is a dict with a {key}")
    try:
        return body, kind(body[key])
    except ValueError:
        raise ProtocolViolation(f"unknown {key} {clipped_repr(body[key])}") from None


def request_from_wire(raw, *, caps: Caps) -> Request:
    body, op = _decoded(raw, caps, "op", Op)
    release = body.get("release", [])
    if type(release) is not list or any(type(oid) is not int for oid in release):
        raise ProtocolViolation("release must be a list of ints")
    return Request(op, _check(op.value, body, REQUEST_FIELDS[op]), release, _seq(body))


def response_to_wire(resp: Response, *, on_other=None, caps: Caps) -> bytes:
    body = dict(_check(resp.status.value, resp.fields, RESPONSE_FIELDS[resp.status]))
    body["status"] = resp.status.value
    body["seq"] = resp.seq
    return codec.encode(body, on_other=on_other, caps=caps)


def _seq(body: dict) -> int:
    seq = body.get("seq")
    if type(seq) is not int or seq < 0:
        raise ProtocolViolation("a message needs a sequence number")
    return seq


def _check_response(status: Status, fields: dict) -> None:
    if status in (Status.RAISED, Status.UNSAFE, Status.BAD_REQUEST):
        if type(fields["error"]) is not codec.ErrorInfo:
            raise ProtocolViolation(f"{status.value} must carry an ErrorInfo")
    elif status is Status.OK:
        mutated = fields["mutated"]
        if type(mutated) is not dict or any(
                not (type(k) is str or (type(k) is int and k >= 0)) for k in mutated):
            raise ProtocolViolation("ok must carry a dict of mutated arguments by position or name")
    elif status is Status.EXITED:
        if type(fields["code"]) is not int or fields["code"] not in EXIT_CODE_RANGE:
            raise ProtocolViolation(f"exit code {clipped_repr(fields['code'])} is not a C int")
    elif status is Status.CALLBACK:
        if type(fields["cid"]) is not int or type(fields["args"]) is not list or type(fields["kwargs"]) is not dict \
                or any(type(k) is not str for k in fields["kwargs"]):
            raise ProtocolViolation("callback needs an int cid, a list of args and a dict of kwargs")


def response_from_wire(raw, *, caps: Caps) -> Response:
    body, status = _decoded(raw, caps, "status", Status)
    fields = _check(status.value, body, RESPONSE_FIELDS[status])
    _check_response(status, fields)
    return Response(status, fields, _seq(body))


# ---------------------------------------------------------------- the child's configuration


@dataclass(frozen=True)
class ChildConfig:
    """Everything the shim needs before the first request: limits, uid, caps."""

    generation: int          # of the sandbox process; its handles carry it
    uid: int                 # the dedicated uid to drop to; -1: keep the current one (not root)
    cpu_seconds: int         # RLIMIT_CPU
    memory_bytes: int        # RLIMIT_AS
    file_bytes: int          # RLIMIT_FSIZE
    open_files: int          # RLIMIT_NOFILE
    processes: int           # RLIMIT_NPROC; 0: not applied (no dedicated uid to count against)
    preload: bool            # import common modules before dropping root (the fallback layer)
    block_userns: bool       # refuse new user namespaces (seccomp) before student code runs
    max_frame_bytes: int
    max_array_bytes: int
    max_values: int
    max_string_bytes: int
    max_dict_keys: int

    def reply_caps(self) -> Caps:
        return Caps(array_bytes=self.max_array_bytes, values=self.max_values,
                    string_bytes=self.max_string_bytes, dict_keys=self.max_dict_keys)


CONFIG_FRAME_BYTES = 64 * 1024
_CONFIG_TYPES = {"int": int, "bool": bool}


def config_to_wire(cfg: ChildConfig) -> bytes:
    return codec.encode({"config": dataclasses.asdict(cfg)})


def config_from_wire(raw) -> ChildConfig:
    body = codec.decode(raw, caps=Caps(values=1024, string_bytes=4096, dict_keys=1024))
    record = body.get("config") if type(body) is dict else None
    names = [f.name for f in dataclasses.fields(ChildConfig)]
    if type(record) is not dict or set(record) != set(names):
        raise ProtocolViolation(f"the configuration needs exactly the fields {names}")
    for spec in dataclasses.fields(ChildConfig):
        if type(record[spec.name]) is not _CONFIG_TYPES[spec.type]:
            raise ProtocolViolation(f"configuration field {spec.name} must be {spec.type}")
    return ChildConfig(**record)

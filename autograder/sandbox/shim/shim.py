"""The shim's request loop: execute the student's blocks, answer requests, relay callbacks.

The student's code arrives only as EXEC_BLOCK requests and runs in one module namespace;
values go back through the codec with the caps the trusted side decodes with, so a value
over a cap is reported here (UNSAFE, the student's fault) rather than refused there.
"""

from __future__ import annotations

import itertools
import linecache
import os
import sys
import traceback
import types

from ..wire import codec, protocol
from ..wire.values import MAX_ERROR_FRAMES, CallbackRef, ErrorInfo, HandleRef

Op, Status = protocol.Op, protocol.Status

MAX_MESSAGE = 2000
MAX_TRACEBACK = 8000
MAX_TYPE_NAME = 100
MAX_QUALNAME = 200
MAX_LINE = 1 << 31   # what the wire takes as a line number
# A RecursionError's traceback holds about a thousand frames; walking more is not needed.
MAX_WALKED_FRAMES = 5000
MODULE_NAME = "student_module"


def _safe_str(obj) -> str:
    try:
        text = str(obj)
    except BaseException:  # noqa: BLE001 - a student __str__ may raise anything
        text = "<unprintable>"
    return text[:MAX_MESSAGE]


class Shim:
    def __init__(self, channel, cfg: protocol.ChildConfig):
        self.channel = channel
        self.generation = cfg.generation
        self.reply_caps = cfg.reply_caps()
        self.request_caps = protocol.request_caps(cfg.max_array_bytes)
        self.objects = {}    # oid -> object: keeps student objects alive while the trusted side holds a handle
        self.oid_of = {}     # id(object) -> oid, so one object keeps one handle
        self.next_oid = 1
        self.labels = set()
        self.serving: list[int] = []   # sequence numbers of the requests being served, innermost last
        self.module = types.ModuleType(MODULE_NAME)
        # No such file exists: the student's code lives only in this process's memory.
        self.module.__file__ = os.path.join(os.getcwd(), MODULE_NAME + ".py")
        sys.modules[MODULE_NAME] = self.module

    # ------------------------------------------------------------ values

    def handle_for(self, obj):
        oid = self.oid_of.get(id(obj))
        if oid is None or self.objects.get(oid) is not obj:
            oid = self.next_oid
            self.next_oid += 1
            self.objects[oid] = obj
            self.oid_of[id(obj)] = oid
        return HandleRef(self.generation, oid, type(obj).__name__[:MAX_TYPE_NAME], callable(obj))

    def resolve(self, value):
        """Replace HandleRef/CallbackRef in decoded arguments by the live objects they name."""
        typ = type(value)
        if typ is HandleRef:
            if value.generation != self.generation or value.oid not in self.objects:
                raise LookupError(f"unknown handle {value.oid}")
            return self.objects[value.oid]
        if typ is CallbackRef:
            return _Callback(self, value.cid)
        if typ is list:
            return [self.resolve(v) for v in value]
        if typ is tuple:
            return tuple(self.resolve(v) for v in value)
        if typ is dict:
            return {k: self.resolve(v) for k, v in value.items()}
        return value

    def target(self, ref):
        return self.module if ref is None else self.resolve(ref)

    def encode(self, value):
        return codec.encode(value, on_other=self.handle_for, caps=self.reply_caps)

    def student_frames(self, tb) -> list:
        """The frames of the student's blocks in a traceback, outermost first, each named by
        its qualified name ("Affine.forward", not just "forward")."""
        # An explicit limit: extract_tb would otherwise obey the student's sys.tracebacklimit
        # and drop frames walk_tb keeps, pairing each summary with another frame's code.
        summaries = traceback.extract_tb(tb, limit=MAX_WALKED_FRAMES)
        codes = [frame.f_code for frame, _ in itertools.islice(traceback.walk_tb(tb), MAX_WALKED_FRAMES)]
        return [traceback.FrameSummary(s.filename, s.lineno, code.co_qualname[:MAX_QUALNAME], lookup_line=False,
                                       line=s.line, end_lineno=s.end_lineno, colno=s.colno, end_colno=s.end_colno)
                for s, code in zip(summaries, codes) if s.filename in self.labels]

    def error_info(self, exc):
        frames = self.student_frames(exc.__traceback__)
        text = "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc)) if frames else ""
        # The block label without its <>, the line, the qualified name: where it was raised.
        where = tuple((f.filename[1:-1], f.lineno or 0, f.name) for f in frames[-MAX_ERROR_FRAMES:])
        compiled = type(exc) in (SyntaxError, IndentationError, TabError)
        filename, line = (exc.filename, exc.lineno) if compiled else (None, None)
        if type(filename) is str and filename in self.labels and type(line) is int and 0 < line < MAX_LINE:
            # A block that does not compile raised in no frame of its own: the place is the
            # error's (only Python's own classes: a student's subclass could say anything).
            where = (where + ((filename[1:-1], line, "<module>"),))[-MAX_ERROR_FRAMES:]
        return ErrorInfo(type(exc).__name__[:MAX_TYPE_NAME], _safe_str(exc), text[-MAX_TRACEBACK:], where)

    # ------------------------------------------------------------ serving

    def to_wire(self, status, fields) -> bytes:
        """One response's bytes; NotEncodable (or RecursionError) when a value cannot cross."""
        seq = self.serving[-1] if self.serving else 0
        return protocol.response_to_wire(protocol.Response(status, fields, seq), on_other=self.handle_for,
                                         caps=self.reply_caps)

    def send(self, status, **fields):
        self.flush_output()
        try:
            raw = self.to_wire(status, fields)
        except (codec.NotEncodable, RecursionError) as exc:
            err = ErrorInfo(type(exc).__name__, _safe_str(exc), "")
            raw = self.to_wire(Status.UNSAFE, {"error": err})
        self.channel.send(raw)

    @staticmethod
    def flush_output():
        for stream in (sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001 - student may have closed or replaced the stream
                pass

    def serve_one(self, req) -> bool:
        """Handle one request and send its response; False when the process should exit."""
        for oid in req.release:
            obj = self.objects.pop(oid, None)
            if obj is not None:
                self.oid_of.pop(id(obj), None)
        self.serving.append(req.seq)
        try:
            try:
                status, fields = self.dispatch(req)
            except SystemExit as exc:
                code = exc.code if type(exc.code) is int and exc.code in protocol.EXIT_CODE_RANGE else \
                    (0 if exc.code is None else 1)
                self.send(Status.EXITED, code=code)
                return False
            except BaseException as exc:  # noqa: BLE001 - whatever the student raised is reported
                status, fields = Status.RAISED, {"error": self.error_info(exc)}
            self.send(status, **fields)
            return True
        finally:
            self.serving.pop()

    def dispatch(self, req):
        op = req.op
        if op is Op.EXEC_BLOCK:
            return self.exec_block(req["label"], req["source"])
        if op in (Op.CALLBACK_RETURN, Op.CALLBACK_RAISE):  # an answer to no pending callback
            err = ErrorInfo("ProtocolViolation", f"unexpected op {op.value}", "")
            return Status.BAD_REQUEST, {"error": err}
        obj = self.target(req["target"])
        if op is Op.GETATTR:
            value = getattr(obj, req["name"])
        elif op is Op.SETATTR:
            setattr(obj, req["name"], self.resolve(req["value"]))
            value = None
        elif op is Op.GETITEM:
            value = obj[self.resolve(req["key"])]
        elif op is Op.SETITEM:
            obj[self.resolve(req["key"])] = self.resolve(req["value"])
            value = None
        elif op is Op.REF:
            value = getattr(obj, req["name"]) if req["name"] is not None else obj[self.resolve(req["key"])]
            return Status.OK, {"value": self.handle_for(value), "mutated": {}}
        elif op is Op.FETCH:
            return Status.OK, {"value": obj, "mutated": {}}
        elif op is Op.WRITE_INTO:
            # Several arrays written into in one exchange (a training step's parameters):
            # each as SETITEM on the array itself would be, in the order given.
            values = self.resolve(req["values"])
            if not isinstance(values, dict):
                err = ErrorInfo("ProtocolViolation", "write_into needs a dict of values", "")
                return Status.BAD_REQUEST, {"error": err}
            for key, new in values.items():
                obj[key][...] = new
            value = None
        elif op is Op.SUBTRACT_FROM:
            # The book's training step, `network.params[key] -= lr * grad[key]`, as that
            # statement itself, in one exchange: the container is looked up anew each time.
            values = self.resolve(req["values"])
            if not isinstance(values, dict):
                err = ErrorInfo("ProtocolViolation", "subtract_from needs a dict of values", "")
                return Status.BAD_REQUEST, {"error": err}
            container = getattr(obj, req["name"])
            for key, step in values.items():
                container[key] -= step
            value = None
        elif op is Op.PROBE:
            return Status.OK, {"value": self.probe(obj, req), "mutated": {}}
        else:  # Op.CALL, the one op left
            return self.call(obj, req["args"], req["kwargs"])
        return Status.OK, {"value": value, "mutated": {}}

    def call(self, fn, raw_args, raw_kwargs):
        args, kwargs = self.resolve(raw_args), self.resolve(raw_kwargs)
        watched = {i: a for i, a in enumerate(args) if isinstance(a, (list, dict)) or type(a).__name__ == "ndarray"}
        watched.update({k: a for k, a in kwargs.items() if isinstance(a, (list, dict)) or type(a).__name__ == "ndarray"})
        before = {key: self.snapshot(arg) for key, arg in watched.items()}
        value = fn(*args, **kwargs)
        # Only arguments whose encoding changed travel back: in-place updates are the
        # point (an optimizer's params), untouched inputs would just double the traffic.
        # One too big to travel back at all is not watched (sending it would fail).
        mutated = {key: arg for key, arg in watched.items()
                   if before[key] is not None and self.snapshot(arg) != before[key]}
        return Status.OK, {"value": value, "mutated": mutated}

    def probe(self, array, req):
        """[fn(*args) with array[i] + h, fn(*args) with array[i] - h] for each index i, the
        entry put back after each: a numerical gradient's evaluations (of a loss that reads
        the array, as the book's `lambda W: net.loss(x, t)` does) in one exchange. Each
        call gets its own copy of the arguments, as a call from the trusted side would."""
        fn, h = self.resolve(req["fn"]), req["h"]
        values = []
        for raw_index in req["indices"]:
            index = tuple(raw_index)
            old = array[index]
            pair = []
            try:
                for step in (h, -h):
                    array[index] = float(old) + step
                    pair.append(fn(*self.resolve(_fresh(req["args"])), **self.resolve(_fresh(req["kwargs"]))))
            finally:  # a loss that raises must not leave the array perturbed
                array[index] = old
            values.append(pair)
        return values

    def snapshot(self, arg) -> bytes | None:
        try:
            return self.encode(arg)
        except (codec.NotEncodable, RecursionError):
            return None

    def exec_block(self, label, source):
        filename = f"<{label}>"
        self.labels.add(filename)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        code = compile(source, filename, "exec")
        exec(code, self.module.__dict__)
        return Status.OK, {"value": None, "mutated": {}}

    def wait_callback(self):
        """Serve nested requests until the trusted side answers the pending callback."""
        while True:
            req = protocol.request_from_wire(self.channel.recv(), caps=self.request_caps)
            if req.op is Op.CALLBACK_RETURN:
                return self.resolve(req["value"])
            if req.op is Op.CALLBACK_RAISE:
                raise CallbackError(f"{req['error'].exc_type}: {req['error'].message}")
            if not self.serve_one(req):
                os._exit(0)

    def serve_forever(self):
        while True:
            req = protocol.request_from_wire(self.channel.recv(), caps=self.request_caps)
            if not self.serve_one(req):
                return


def _fresh(value):
    """A copy of decoded data that a call may change (arrays, lists, dicts); handles as they are."""
    typ = type(value)
    if typ is list:
        return [_fresh(v) for v in value]
    if typ is tuple:
        return tuple(_fresh(v) for v in value)
    if typ is dict:
        return {k: _fresh(v) for k, v in value.items()}
    if typ.__name__ == "ndarray":
        return value.copy()
    return value


class CallbackError(RuntimeError):
    """The trusted function the student called back into raised, or refused its arguments."""


class _Callback:
    """A trusted callable as seen by student code: calling it asks the trusted side."""

    def __init__(self, shim, cid):
        self._shim, self._cid = shim, cid

    def __call__(self, *args, **kwargs):
        shim = self._shim
        try:
            raw = shim.to_wire(Status.CALLBACK, {"cid": self._cid, "args": list(args), "kwargs": kwargs})
        except (codec.NotEncodable, RecursionError) as exc:
            # Raised here, in the student's frame: the trusted side still waits for the
            # outer call's answer, which an UNSAFE response would give too early.
            raise CallbackError(f"the arguments cannot cross to the grader: {_safe_str(exc)}") from None
        shim.flush_output()
        shim.channel.send(raw)
        return shim.wait_callback()

    def __repr__(self):
        return f"<trusted callable {self._cid}>"

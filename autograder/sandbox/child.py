"""The trusted shim that runs inside the sandbox process, in front of the student's code.

Started as `python -I child.py <config>`: it limits itself (rlimits), imports numpy,
drops root, then executes the student's blocks and serves requests over its own pipe
pair. It imports only the standard library, numpy, and its sibling codec/protocol/
transport modules (loaded under a private package name, so this directory is all that
needs to be visible inside the sandbox).
"""

import os
import sys
import types

_HERE = os.path.dirname(os.path.abspath(__file__))
_PKG = "_autograder_shim"


def _load_siblings():
    pkg = types.ModuleType(_PKG)
    pkg.__path__ = [_HERE]
    sys.modules[_PKG] = pkg
    from importlib import import_module
    return (import_module(f"{_PKG}.codec"), import_module(f"{_PKG}.protocol"),
            import_module(f"{_PKG}.transport"))


# Stdlib modules a notebook commonly imports; loaded before root is dropped so they still
# work when the interpreter lives somewhere the dropped uid cannot read (fallback layer).
PRELOAD = ("collections", "collections.abc", "copy", "functools", "itertools", "math", "random",
           "time", "re", "json", "pickle", "typing", "dataclasses", "abc", "numbers", "operator",
           "warnings", "string", "statistics", "traceback", "linecache", "glob", "pathlib",
           "ctypes", "gzip", "urllib.request", "heapq", "bisect", "enum", "resource", "socket",
           "subprocess", "tempfile", "shutil", "io", "struct",
           # numpy.random seeds itself through `secrets` on first use (np.random.randn in
           # a student's __init__); without it every such class fails in the fallback.
           "secrets", "hashlib", "numpy.random", "numpy.linalg", "numpy.fft", "datetime",
           "csv", "threading", "unicodedata", "decimal", "fractions", "base64", "zlib",
           "textwrap", "pprint", "inspect", "contextlib", "uuid", "platform")

MAX_MESSAGE = 2000
MAX_TRACEBACK = 8000


def apply_limits(cfg: dict) -> None:
    import resource
    pairs = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_CPU, cfg["cpu_seconds"]),
             (resource.RLIMIT_AS, cfg["memory_bytes"]), (resource.RLIMIT_FSIZE, cfg["file_bytes"]),
             (resource.RLIMIT_NOFILE, cfg["open_files"])]
    if cfg["processes"] > 0:
        pairs.append((resource.RLIMIT_NPROC, cfg["processes"]))
    for res, value in pairs:
        resource.setrlimit(res, (value, value))


def drop_privileges(uid: int, gid: int) -> None:
    if os.getuid() != 0 or uid < 0:
        return
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)  # from root to non-root: the kernel clears every capability
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("could not drop root")


def _safe_str(obj) -> str:
    try:
        text = str(obj)
    except BaseException:  # noqa: BLE001 - a student __str__ may raise anything
        text = "<unprintable>"
    return text[:MAX_MESSAGE]


class Shim:
    def __init__(self, codec, protocol, channel, labels_prefix="<"):
        self.codec, self.protocol, self.channel = codec, protocol, channel
        self.objects = {}    # oid -> object: keeps student objects alive while the trusted side holds a handle
        self.oid_of = {}     # id(object) -> oid, so one object keeps one handle
        self.next_oid = 1
        self.generation = 0
        self.labels = set()
        self.module = types.ModuleType("student_module")
        self.module.__file__ = os.path.join(os.getcwd(), "student_module.py")
        sys.modules["student_module"] = self.module
        self.max_array_bytes = codec.DEFAULT_MAX_ARRAY_BYTES

    # ------------------------------------------------------------ values

    def handle_for(self, obj):
        oid = self.oid_of.get(id(obj))
        if oid is None or self.objects.get(oid) is not obj:
            oid = self.next_oid
            self.next_oid += 1
            self.objects[oid] = obj
            self.oid_of[id(obj)] = oid
        return self.codec.HandleRef(self.generation, oid, type(obj).__name__[:100], callable(obj))

    def resolve(self, value):
        """Replace HandleRef/CallbackRef in decoded arguments by the live objects they name."""
        codec = self.codec
        typ = type(value)
        if typ is codec.HandleRef:
            if value.generation != self.generation or value.oid not in self.objects:
                raise LookupError(f"unknown handle {value.oid}")
            return self.objects[value.oid]
        if typ is codec.CallbackRef:
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
        return self.codec.encode(value, on_other=self.handle_for, max_array_bytes=self.max_array_bytes)

    def error_info(self, exc):
        import traceback
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in self.labels]
        text = "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc)) if frames else ""
        return self.codec.ErrorInfo(type(exc).__name__, _safe_str(exc), text[-MAX_TRACEBACK:])

    # ------------------------------------------------------------ serving

    def send(self, status, **fields):
        self.flush_output()
        try:
            raw = self.protocol.response_to_wire(self.protocol.Response(status, fields),
                                                 on_other=self.handle_for, max_array_bytes=self.max_array_bytes)
        except (self.codec.NotEncodable, RecursionError) as exc:
            err = self.codec.ErrorInfo(type(exc).__name__, _safe_str(exc), "")
            raw = self.protocol.response_to_wire(self.protocol.Response(self.protocol.Status.UNSAFE, {"error": err}))
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
        Status = self.protocol.Status
        for oid in req.release:
            obj = self.objects.pop(oid, None)
            if obj is not None:
                self.oid_of.pop(id(obj), None)
        try:
            status, fields = self.dispatch(req)
        except SystemExit as exc:
            code = exc.code if type(exc.code) is int else (0 if exc.code is None else 1)
            self.send(Status.EXITED, code=code)
            return False
        except BaseException as exc:  # noqa: BLE001 - whatever the student raised is reported
            status, fields = Status.RAISED, {"error": self.error_info(exc)}
        self.send(status, **fields)
        return True

    def dispatch(self, req):
        Op, Status = self.protocol.Op, self.protocol.Status
        op = req.op
        if op is Op.EXEC_BLOCK:
            return self.exec_block(req["label"], req["source"])
        if op is Op.NAMES:
            return Status.OK, {"value": self.names(), "mutated": {}}
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
        elif op is Op.CALL:
            return self.call(obj, req["args"], req["kwargs"])
        else:
            err = self.codec.ErrorInfo("ProtocolViolation", f"unexpected op {op.value}", "")
            return Status.BAD_REQUEST, {"error": err}
        return Status.OK, {"value": value, "mutated": {}}

    def call(self, fn, raw_args, raw_kwargs):
        args, kwargs = self.resolve(raw_args), self.resolve(raw_kwargs)
        watched = {i: a for i, a in enumerate(args) if isinstance(a, (list, dict)) or type(a).__name__ == "ndarray"}
        watched.update({k: a for k, a in kwargs.items() if isinstance(a, (list, dict)) or type(a).__name__ == "ndarray"})
        before = {key: self.encode(arg) for key, arg in watched.items()}
        value = fn(*args, **kwargs)
        # Only arguments whose encoding changed travel back: in-place updates are the
        # point (an optimizer's params), untouched inputs would just double the traffic.
        mutated = {key: arg for key, arg in watched.items() if self.encode(arg) != before[key]}
        return self.protocol.Status.OK, {"value": value, "mutated": mutated}

    def exec_block(self, label, source):
        import linecache
        filename = f"<{label}>"
        self.labels.add(filename)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        code = compile(source, filename, "exec")
        exec(code, self.module.__dict__)
        return self.protocol.Status.OK, {"value": None, "mutated": {}}

    def names(self):
        import inspect
        result = {}
        for name, value in list(vars(self.module).items()):
            if name.startswith("__"):
                continue
            if isinstance(value, type):
                kind = "class"
            elif isinstance(value, types.ModuleType):
                kind = "module"
            elif inspect.isroutine(value):
                kind = "function"
            else:
                try:
                    self.codec.encode(value, max_array_bytes=self.max_array_bytes)
                    kind = "data"
                except Exception:  # noqa: BLE001 - anything unencodable is "other"
                    kind = "other"
            result[name] = kind
        return result

    def wait_callback(self):
        """Serve nested requests until the trusted side answers the pending callback."""
        Op = self.protocol.Op
        while True:
            req = self.protocol.request_from_wire(self.channel.recv(), max_array_bytes=self.max_array_bytes)
            if req.op is Op.CALLBACK_RETURN:
                return self.resolve(req["value"])
            if req.op is Op.CALLBACK_RAISE:
                raise CallbackError(f"{req['error'].exc_type}: {req['error'].message}")
            if not self.serve_one(req):
                os._exit(0)

    def serve_forever(self):
        while True:
            req = self.protocol.request_from_wire(self.channel.recv(), max_array_bytes=self.max_array_bytes)
            if not self.serve_one(req):
                return


class CallbackError(RuntimeError):
    """The trusted function the student called back into raised."""


class _Callback:
    """A trusted callable as seen by student code: calling it asks the trusted side."""

    def __init__(self, shim, cid):
        self._shim, self._cid = shim, cid

    def __call__(self, *args, **kwargs):
        self._shim.send(self._shim.protocol.Status.CALLBACK, cid=self._cid, args=list(args), kwargs=kwargs)
        return self._shim.wait_callback()

    def __repr__(self):
        return f"<trusted callable {self._cid}>"


def main(argv):
    cfg = {}
    for item in argv[1:]:
        key, _, value = item.partition("=")
        cfg[key] = value if key in ("numpy_path",) else int(value)
    # The protocol fds are ours: move them high so student code closing or dup2-ing low
    # fds does not hit them by accident (done before RLIMIT_NOFILE forbids high numbers).
    req_fd, resp_fd = os.dup2(cfg["req_fd"], 1000), os.dup2(cfg["resp_fd"], 1001)
    os.close(cfg["req_fd"])
    os.close(cfg["resp_fd"])
    apply_limits(cfg)
    sys.path.insert(0, cfg["numpy_path"])
    import numpy  # noqa: F401 - before any student code, so its module state is numpy's own
    codec, protocol, transport = _load_siblings()
    if cfg["preload"]:
        from importlib import import_module
        for name in PRELOAD:
            try:
                import_module(name)
            except ImportError:
                pass
    drop_privileges(cfg["uid"], cfg["gid"])
    shim = Shim(codec, protocol, transport.Channel(req_fd, resp_fd, cfg["max_frame"]))
    shim.generation = cfg["generation"]
    shim.max_array_bytes = cfg["max_array_bytes"]
    shim.channel.send(protocol.response_to_wire(protocol.Response(protocol.Status.OK, {"value": "ready", "mutated": {}})))
    try:
        shim.serve_forever()
    except transport.ChannelClosed:
        pass
    Shim.flush_output()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)

"""The trusted side of the sandbox: start, load, call, time, restart.

This is the layer that turns transport and protocol outcomes into the exceptions hidden
tests see (StudentRaised, TimeLimitExceeded, SandboxCrashed, UnsafeValue, StaleHandle).
Every deadline is measured here, and enforced by killing the process from outside.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time

import numpy as np

from . import codec, isolation, protocol
from .copyback import copy_back
from .errors import SandboxCrashed, StaleHandle, StudentFault, StudentRaised, TimeLimitExceeded, UnsafeValue
from .limits import Limits, LoadReport
from .output import OutputBuffer
from .process import SandboxProcess
from .proxy import Handle, ModuleProxy
from .transport import ChannelClosed, DeadlineExpired, FrameTooLarge, TransportError

log = logging.getLogger("autograder.sandbox")
Op, Status = protocol.Op, protocol.Status


def _summary(value) -> str:
    if isinstance(value, np.ndarray):
        return f"ndarray{value.shape} {value.dtype}"
    if isinstance(value, Handle):
        return repr(value)
    if callable(value):
        # A trusted probe: its name, not a repr with a memory address that changes per run.
        return getattr(value, "__name__", type(value).__name__)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _lineno(label: str, err: codec.ErrorInfo) -> int | None:
    found = re.findall(rf'File "<{re.escape(label)}>", line (\d+)', err.traceback)
    if found:
        return int(found[-1])
    found = re.search(r"line (\d+)", err.message) if err.exc_type in ("SyntaxError", "IndentationError") else None
    return int(found.group(1)) if found else None


class Sandbox:
    """Runs one submission in its own process; see the package docstring for the contract."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.layer = isolation.choose_layer(self.limits.isolation)
        self._lease = isolation.UidLease() if os.getuid() == 0 else None
        if self._lease is None:
            isolation.warn_once("no-root", "sandbox: not root, cannot drop to a dedicated uid; "
                                "double-forked processes are contained only by bubblewrap")
        self.isolation = isolation.describe(self.layer, self._lease is not None)
        self.module = ModuleProxy(self)
        self._output = OutputBuffer(self.limits.output_bytes)
        self._proc: SandboxProcess | None = None
        self._proc_used = False
        self._generation = 0
        self._blocks: list[tuple[str, str]] = []
        self._bad_blocks: set[int] = set()   # blocks that killed or hung the process: not replayed
        self._spent = 0.0
        self._depth = 0
        self._outer_deadline = 0.0
        self._callbacks: dict[int, object] = {}
        self._callback_error: BaseException | None = None
        self._next_cid = 1
        self._released: list[int] = []
        self._live: dict[int, int] = {}     # oid -> number of live Handles of the current generation
        self._lock = threading.RLock()
        self._closed = False

    # ------------------------------------------------------------ lifecycle

    def __enter__(self):
        self._ensure_process()
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._proc is not None:
                self._proc.close()
                self._proc = None
            if self._lease is not None:
                self._lease.release()
                self._lease = None
            self._closed = True

    def output(self) -> str:
        """Captured student stdout/stderr so far (capped)."""
        return self._output.text()

    def _remaining_budget(self) -> float:
        return self.limits.submission_seconds - self._spent

    def _ensure_process(self) -> None:
        if self._closed:
            raise RuntimeError("sandbox is closed")
        if self._proc is not None and self._proc.alive():
            return
        if self._proc is not None:
            self._proc.close()
            self._proc = None
        if self._remaining_budget() <= 0:
            raise TimeLimitExceeded(self._budget_message())
        self._generation += 1
        self._live, self._released = {}, []
        start = time.monotonic()
        source = "\n\n".join(f"# --- {label}\n{src}" for label, src in self._blocks)
        uid = self._lease.uid if self._lease is not None else None
        proc = SandboxProcess(self.layer, self.limits, self._generation, source, self._output, uid)
        deadline = start + min(self.limits.start_seconds, self._remaining_budget())
        try:
            protocol.response_from_wire(proc.channel.recv(deadline))
        except (TransportError, protocol.ProtocolViolation, codec.CodecError) as exc:
            proc.close()
            self._spent += time.monotonic() - start
            raise SandboxCrashed(f"sandbox failed to start ({type(exc).__name__}: {exc}); "
                                 f"output: {self._output.text()[-500:]}") from None
        self._proc = proc
        self._proc_used = False
        self._spent += time.monotonic() - start
        log.debug("sandbox: started generation %d (%s) in %.3fs", self._generation, self.layer,
                  time.monotonic() - start)
        self._replay()

    def _replay(self) -> None:
        for index, (label, source) in enumerate(self._blocks):
            if index in self._bad_blocks:
                continue
            try:
                self._exchange(protocol.Request(Op.EXEC_BLOCK, {"label": label, "source": source}),
                               f"load {label}", self.limits.load_seconds)
            except StudentRaised:
                pass
            except StudentFault as exc:
                self._bad_blocks.add(index)
                log.warning("sandbox: block %s failed on replay: %s", label, exc)
                if self._proc is None:
                    raise

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.close()
            self._proc = None

    def _budget_message(self) -> str:
        return (f"submission time budget of {self.limits.submission_seconds:g}s exhausted; "
                "later calls are not run")

    # ------------------------------------------------------------ load

    def load(self, blocks) -> LoadReport:
        """Execute each (label, source) block, in order, in one module namespace."""
        with self._lock:
            start = time.monotonic()
            mark = self._output.mark()
            blocks = [(str(label), str(source)) for label, source in blocks]
            self._blocks, self._bad_blocks = [], set()
            if self._proc is not None and self._proc_used:
                self._kill()
            report = LoadReport(ok=True)
            # Blocks join self._blocks once tried, so a restart mid-load replays only those.
            for label, source in blocks:
                index = len(self._blocks)
                try:
                    self._ensure_process()
                    self._exchange(protocol.Request(Op.EXEC_BLOCK, {"label": label, "source": source}),
                                   f"load {label}", self.limits.load_seconds)
                except StudentRaised as exc:
                    err = codec.ErrorInfo(exc.exc_type, exc.message, exc.traceback)
                    report.block_errors.append((label, exc.exc_type, exc.message, _lineno(label, err)))
                except TimeLimitExceeded as exc:
                    self._bad_blocks.add(index)
                    report.timed_out = True
                    report.block_errors.append((label, "TimeLimitExceeded", str(exc), None))
                except StudentFault as exc:
                    self._bad_blocks.add(index)
                    report.crashed = True
                    report.block_errors.append((label, type(exc).__name__, str(exc), None))
                self._blocks.append((label, source))
            report.ok = not report.block_errors
            report.output = self._output.text(mark)
            report.duration = time.monotonic() - start
            return report

    # ------------------------------------------------------------ the exchange

    def _exchange(self, req: protocol.Request, what: str, seconds: float | None = None):
        """Send one request and wait for its final response, serving callbacks meanwhile."""
        outer = self._depth == 0
        if outer and self._remaining_budget() <= 0:
            raise TimeLimitExceeded(self._budget_message())
        self._ensure_process()
        proc = self._proc
        self._proc_used = True
        start = time.monotonic()
        deadline = start + (self.limits.call_seconds if seconds is None else seconds)
        if outer:
            budget_deadline = start + self._remaining_budget()
            self._outer_deadline = min(deadline, budget_deadline)
            self._callback_error = None
        deadline = min(deadline, self._outer_deadline)
        self._depth += 1
        try:
            req.release, self._released = self._released, []
            try:
                raw = protocol.request_to_wire(req, on_other=self._encode_other,
                                               max_array_bytes=self.limits.max_array_bytes)
            except codec.NotEncodable as exc:
                raise UnsafeValue(f"{what}: cannot send argument: {exc}") from None
            try:
                proc.channel.send(raw, deadline)
                while True:
                    resp = self._receive(proc, deadline, what)
                    if resp.status is not Status.CALLBACK:
                        return self._settle(resp, what)
                    self._serve_callback(proc, resp, deadline)
            except DeadlineExpired:
                self._kill()
                if time.monotonic() >= start + self._remaining_budget() - 1e-3 and outer:
                    raise TimeLimitExceeded(f"{what}: {self._budget_message()}") from None
                limit = self.limits.call_seconds if seconds is None else seconds
                raise TimeLimitExceeded(f"{what}: exceeded the {limit:g}s time limit") from None
            except (ChannelClosed, BrokenPipeError):
                ending = proc.exit_description()  # before the kill, which would mask how it ended
                self._kill()
                raise SandboxCrashed(f"{what}: sandbox process {ending}") from None
            except (FrameTooLarge, protocol.ProtocolViolation) as exc:
                self._kill()
                raise SandboxCrashed(f"{what}: protocol broken ({exc})") from None
        finally:
            self._depth -= 1
            if outer:
                self._spent += time.monotonic() - start
                self._callbacks.clear()

    def _receive(self, proc, deadline, what) -> protocol.Response:
        raw = proc.channel.recv(deadline)
        try:
            return protocol.response_from_wire(raw, max_array_bytes=self.limits.max_array_bytes)
        except codec.CodecError as exc:
            # The frame was read whole, so the stream is still in step: refuse the value only.
            raise UnsafeValue(f"{what}: the sandbox sent a value the codec refuses: {exc}") from None

    def _settle(self, resp: protocol.Response, what: str):
        if resp.status is Status.OK:
            return resp
        if resp.status is Status.RAISED:
            err = resp["error"]
            if self._callback_error is not None and err.exc_type == "CallbackError":
                raise self._callback_error
            raise StudentRaised(what, err.exc_type, err.message, err.traceback)
        if resp.status is Status.UNSAFE:
            raise UnsafeValue(f"{what}: returned a value that cannot cross: {resp['error'].message}")
        if resp.status is Status.EXITED:
            self._kill()
            raise SandboxCrashed(f"{what}: student code called sys.exit({resp['code']})")
        self._kill()
        raise SandboxCrashed(f"{what}: protocol broken ({resp['error'].message})")

    def _serve_callback(self, proc, resp: protocol.Response, deadline: float) -> None:
        fn = self._callbacks.get(resp["cid"])
        generation = self._generation
        try:
            if fn is None:
                raise LookupError(f"callback {resp['cid']} is no longer registered")
            value = fn(*self._wrap(resp["args"]), **self._wrap(resp["kwargs"]))
            reply = protocol.Request(Op.CALLBACK_RETURN, {"value": value})
        except BaseException as exc:  # noqa: BLE001 - reported to the sandbox, re-raised here later
            if self._generation != generation or self._proc is not proc:
                raise  # a nested call killed the process: nothing is waiting for the reply
            self._callback_error = exc
            err = codec.ErrorInfo(type(exc).__name__, str(exc)[:500], "")
            reply = protocol.Request(Op.CALLBACK_RAISE, {"error": err})
        try:
            raw = protocol.request_to_wire(reply, on_other=self._encode_other,
                                           max_array_bytes=self.limits.max_array_bytes)
        except codec.NotEncodable as exc:
            self._callback_error = UnsafeValue(f"callback returned a value that cannot cross: {exc}")
            raw = protocol.request_to_wire(protocol.Request(
                Op.CALLBACK_RAISE, {"error": codec.ErrorInfo("UnsafeValue", str(exc), "")}))
        proc.channel.send(raw, deadline)

    # ------------------------------------------------------------ values

    def _encode_other(self, obj):
        if isinstance(obj, Handle):
            if obj._sb is not self:
                raise codec.NotEncodable("a handle from another sandbox")
            self._check_fresh(obj)
            return obj._ref
        if callable(obj):
            cid = self._next_cid
            self._next_cid += 1
            self._callbacks[cid] = obj
            return codec.CallbackRef(cid)
        raise codec.NotEncodable(f"{type(obj).__name__} has no data encoding")

    def _check_fresh(self, handle: Handle) -> None:
        if handle._ref.generation != self._generation or self._proc is None:
            raise StaleHandle(f"{handle!r} belongs to a sandbox process that has been restarted")

    def _wrap(self, value, label: str = "value"):
        typ = type(value)
        if typ is codec.HandleRef:
            return self._new_handle(value, label)
        if typ is list:
            return [self._wrap(v, label) for v in value]
        if typ is tuple:
            return tuple(self._wrap(v, label) for v in value)
        if typ is dict:
            return {k: self._wrap(v, f"{label}[{k!r}]") for k, v in value.items()}
        return value

    def _new_handle(self, ref: codec.HandleRef, label: str) -> Handle:
        # The shim gives one object one oid, so several Handles may share it: the remote
        # object is released only when the last of them is gone.
        self._live[ref.oid] = self._live.get(ref.oid, 0) + 1
        if ref.oid in self._released:
            self._released.remove(ref.oid)
        return Handle(self, ref, label)

    def _forget(self, ref: codec.HandleRef) -> None:
        if ref.generation != self._generation:
            return
        count = self._live.get(ref.oid, 0) - 1
        if count > 0:
            self._live[ref.oid] = count
        else:
            self._live.pop(ref.oid, None)
            self._released.append(ref.oid)

    @staticmethod
    def _target(handle):
        return None if handle is None else handle._ref

    @staticmethod
    def _label(handle) -> str:
        return "module" if handle is None else handle._label

    def _op(self, handle, op, what, **fields):
        with self._lock:
            if handle is not None:
                self._check_fresh(handle)
            resp = self._exchange(protocol.Request(op, {"target": self._target(handle), **fields}), what)
            return resp

    # ------------------------------------------------------------ operations used by proxies

    def _getattr(self, handle, name: str):
        owner = "" if handle is None else self._label(handle) + "."
        resp = self._op(handle, Op.GETATTR, f"{owner}{name}", name=name)
        return self._wrap(resp["value"], f"{owner}{name}")

    def _setattr(self, handle, name: str, value) -> None:
        self._op(handle, Op.SETATTR, f"setting {self._label(handle)}.{name}", name=name, value=value)

    def _getitem(self, handle, key):
        resp = self._op(handle, Op.GETITEM, f"{self._label(handle)}[{key!r}]", key=key)
        return self._wrap(resp["value"], f"{self._label(handle)}[{key!r}]")

    def _setitem(self, handle, key, value) -> None:
        self._op(handle, Op.SETITEM, f"setting {self._label(handle)}[{key!r}]", key=key, value=value)

    def _call(self, handle, args: tuple, kwargs: dict):
        what = f"{self._label(handle)}({', '.join([_summary(a) for a in args] + [f'{k}={_summary(v)}' for k, v in kwargs.items()])})"
        resp = self._op(handle, Op.CALL, what, args=list(args), kwargs=dict(kwargs))
        for key, new in resp["mutated"].items():
            original = args[key] if type(key) is int and key < len(args) else kwargs.get(key)
            if original is not None:
                copy_back(original, self._wrap(new))
        return self._wrap(resp["value"], f"{self._label(handle)}()")

    def _names(self) -> dict:
        with self._lock:
            return self._exchange(protocol.Request(Op.NAMES, {}), "names()")["value"]

    # ------------------------------------------------------------ public helpers

    def ref(self, handle, name: str | None = None, item=None) -> Handle:
        """A handle to handle.name or handle[item] itself (no copy), for in-place assignment."""
        if (name is None) == (item is None):
            raise ValueError("give exactly one of name or item")
        target = None if isinstance(handle, ModuleProxy) else handle
        label = f"{self._label(target)}.{name}" if name is not None else f"{self._label(target)}[{item!r}]"
        resp = self._op(target, Op.REF, f"ref {label}", name=name, key=item)
        return self._new_handle(resp["value"], label)

    def fetch(self, handle) -> object:
        """The remote object as data, when it has a data encoding (handles for the rest)."""
        target = None if isinstance(handle, ModuleProxy) else handle
        resp = self._op(target, Op.FETCH, f"fetch {self._label(target)}")
        return self._wrap(resp["value"], self._label(target))

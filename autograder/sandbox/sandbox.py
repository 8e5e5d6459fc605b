"""The trusted side of the sandbox: start, load, call, time, restart.

This is the layer that turns transport and protocol outcomes into the exceptions hidden
tests see (StudentRaised, TimeLimitExceeded, SandboxCrashed, UnsafeValue, StaleHandle).
Every deadline is measured here, and enforced by killing the process from outside; the
time spent decoding and wrapping what the sandbox sends back counts against them too.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from dataclasses import dataclass

from . import inbound
from .callbacks import Callbacks
from .copyback import copy_back
from .errors import SandboxCrashed, StaleHandle, StudentFault, StudentRaised, TimeLimitExceeded, UnsafeValue
from .handles import HandleTable
from .isolation import FALLBACK, choose_layer, describe_layer, warn_once
from .labels import Label, call_text
from .limits import Limits
from .load_report import BlockError, LoadReport, block_lineno
from .output import OutputBuffer
from .process import SandboxProcess
from .proxy import Handle, ModuleProxy
from .uids import UidLease, remove_files_of
from .wire import protocol
from .wire.codec import CodecError, NotEncodable
from .wire.transport import ChannelClosed, DeadlineExpired, FrameTooLarge, TransportError
from .wire.values import ErrorInfo, HandleRef

log = logging.getLogger("autograder.sandbox")
Op, Status = protocol.Op, protocol.Status
ISOLATION_MODES = ("auto", "bubblewrap", "fallback")


@dataclass
class Reply:
    value: object     # decoded, with Handles for the sandbox's objects
    mutated: dict     # argument position or name -> its new content


def _text(what) -> str:
    """`what` is a label, a string, or a function building one only when it is shown."""
    return what() if callable(what) else str(what)


class Sandbox:
    """Runs one submission in its own process; see the package docstring for the contract.

    `isolation` is the wall to build: "bubblewrap", "fallback", or "auto" (bubblewrap where
    it works; the environment variable AUTOGRADER_SANDBOX_ISOLATION overrides "auto").
    After construction `isolation` describes the wall actually built."""

    def __init__(self, limits: Limits | None = None, isolation: str = "auto"):
        if isolation not in ISOLATION_MODES:
            raise ValueError(f"isolation must be one of {', '.join(ISOLATION_MODES)}, not {isolation!r}")
        self.limits = limits or Limits()
        self.layer = choose_layer(isolation)
        self._lease = UidLease() if os.getuid() == 0 else None
        if self._lease is not None and self.layer == FALLBACK:
            # Left by a grader that died before its sandbox ended: not for this submission.
            remove_files_of(self._lease.uid)
        if self._lease is None:
            warn_once("no-root", "sandbox: not root, cannot drop to a dedicated uid; "
                                 "double-forked processes are contained only by bubblewrap")
        self.isolation = describe_layer(self.layer, self._lease is not None)
        self.module = ModuleProxy(self)
        self._reply_caps = self.limits.reply_caps()
        self._request_caps = protocol.request_caps(self.limits.max_array_bytes)
        self._module_label = Label.root("")
        self._output = OutputBuffer(self.limits.output_bytes)
        self._proc: SandboxProcess | None = None
        self._proc_used = False
        self._generation = 0
        self._blocks: list[tuple[str, str]] = []
        self._bad_blocks: set[int] = set()   # blocks that killed or hung the process: not replayed
        self._spent = 0.0
        self._depth = 0
        self._outer_deadline = 0.0
        self._callbacks = Callbacks(self.limits.max_callback_elements)
        self._handles = HandleTable(self)
        self._next_seq = 1
        self._lock = threading.RLock()
        self._closed = False
        self.restart_seconds = 0.0   # spent in restart(), which the submission is not charged for

    # ------------------------------------------------------------ lifecycle

    def __enter__(self):
        self._ensure_process()
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        with self._lock:
            self._kill()
            if self._lease is not None:
                self._lease.release()
                self._lease = None
            self._closed = True

    def output(self) -> str:
        """Captured student stdout/stderr so far (capped)."""
        return self._output.text()

    def _remaining_budget(self) -> float:
        return self.limits.submission_seconds - self._spent

    def _budget_message(self) -> str:
        return (f"submission time budget of {self.limits.submission_seconds:g}s exhausted; "
                "later calls are not run")

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.close()
            self._proc = None

    def _ensure_process(self) -> None:
        if self._closed:
            raise RuntimeError("sandbox is closed")
        if self._proc is not None and self._proc.alive():
            return
        self._kill()
        if self._remaining_budget() <= 0:
            raise TimeLimitExceeded(self._budget_message())
        self._generation += 1
        self._handles.restart(self._generation)
        start = time.monotonic()
        uid = self._lease.uid if self._lease is not None else None
        proc = SandboxProcess(self.layer, self.limits, self._generation, self._output, uid)
        budget_bound = self._remaining_budget() < self.limits.start_seconds
        try:
            proc.start(start + min(self.limits.start_seconds, self._remaining_budget()), self._reply_caps)
        except (TransportError, protocol.ProtocolViolation, CodecError) as exc:
            proc.close()
            self._spent += time.monotonic() - start
            if budget_bound and isinstance(exc, DeadlineExpired):
                raise TimeLimitExceeded(self._budget_message()) from None
            raise SandboxCrashed(f"sandbox failed to start ({type(exc).__name__}: "
                                 f"{inbound.clip(str(exc), inbound.DETAIL_CHARS)}); "
                                 f"output: {self._output.text()[-500:]}") from None
        self._proc = proc
        self._proc_used = False
        self._spent += time.monotonic() - start
        log.debug("sandbox: started generation %d (%s) in %.3fs", self._generation, self.layer,
                  time.monotonic() - start)
        self._replay()

    def output_mark(self) -> int:
        """Where the captured output stands now (for restart's `forget_output_since`)."""
        return self._output.mark()

    def restart(self, forget_output_since: int | None = None) -> None:
        """A new process with the student's blocks replayed: nothing the old one held (globals,
        files in its working folder, anything computed while it could call the grader)
        survives. The grader asks for it, so the submission's time budget is not charged;
        `restart_seconds` adds it up instead. A replay that fails leaves no process, and
        the next call starts one as after any crash. `forget_output_since`: a mark before
        which the captured output is kept; what came after (printed while something was
        lent, and the replay's repeat of the load's output) is dropped."""
        with self._lock:
            started, spent = time.monotonic(), self._spent
            self._kill()
            try:
                self._ensure_process()
            except StudentFault as exc:
                self._kill()
                log.warning("sandbox: restart failed: %s", exc)
            finally:
                if forget_output_since is not None:
                    self._output.forget_since(forget_output_since)
                self._spent = spent
                self.restart_seconds += time.monotonic() - started

    def _replay(self) -> None:
        for index, (label, source) in enumerate(self._blocks):
            if index in self._bad_blocks:
                continue
            try:
                self._exec_block(label, source)
            except StudentRaised:
                pass
            except StudentFault as exc:
                self._bad_blocks.add(index)
                log.warning("sandbox: block %s failed on replay: %s", label, exc)
                if self._proc is None:
                    raise

    # ------------------------------------------------------------ load

    def _exec_block(self, label: str, source: str) -> None:
        self._exchange(protocol.Request(Op.EXEC_BLOCK, {"label": label, "source": source}),
                       f"load {label}", self.limits.load_seconds)

    def define(self, label: str, source: str) -> None:
        """Run trusted source (a suite's own function, wanted beside the student's code) in
        the module's namespace. Unlike a block it is not replayed after a restart: what it
        defined is gone with the process, and handles to it are stale."""
        with self._lock:
            self._exec_block(label, source)

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
                    self._exec_block(label, source)
                except StudentRaised as exc:
                    line = block_lineno(label, exc.frames)
                    report.add(BlockError(label, exc.exc_type, exc.message, line))
                except TimeLimitExceeded as exc:
                    self._bad_blocks.add(index)
                    report.timed_out = True
                    report.add(BlockError(label, "TimeLimitExceeded", str(exc), None))
                except StudentFault as exc:
                    self._bad_blocks.add(index)
                    report.crashed = True
                    report.add(BlockError(label, type(exc).__name__, str(exc), None))
                self._blocks.append((label, source))
            report.ok = not report.block_errors
            report.output = self._output.text(mark)
            report.duration = time.monotonic() - start
            return report

    # ------------------------------------------------------------ the exchange

    def _exchange(self, req: protocol.Request, what, seconds: float | None = None,
                  label: Label | None = None) -> Reply:
        """Send one request and wait for its final response, serving callbacks meanwhile."""
        outer = self._depth == 0
        if outer and self._remaining_budget() <= 0:
            raise TimeLimitExceeded(self._budget_message())
        self._ensure_process()
        proc = self._proc
        self._proc_used = True
        start = time.monotonic()
        limit = self.limits.call_seconds if seconds is None else seconds
        deadline = start + limit
        if outer:
            self._outer_deadline = min(deadline, start + self._remaining_budget())
            self._callbacks.error = None
        deadline = min(deadline, self._outer_deadline)
        self._depth += 1
        try:
            req.release = self._handles.take_released()
            req.seq, self._next_seq = self._next_seq, self._next_seq + 1
            raw = self._request_bytes(req, what)
            try:
                proc.channel.send(raw, deadline)
                resp = self._receive(proc, deadline, what, req.seq)
                while resp.status is Status.CALLBACK:
                    self._serve_callback(proc, resp, deadline)
                    resp = self._receive(proc, deadline, what, req.seq)
                reply = self._settle(resp, what, label or self._module_label)
            except DeadlineExpired:
                self._kill()
                raise self._time_limit(what, start, limit, outer) from None
            except (ChannelClosed, BrokenPipeError):
                ending = proc.exit_description()  # before the kill, which would mask how it ended
                self._kill()
                raise SandboxCrashed(f"{_text(what)}: sandbox process {ending}") from None
            except (FrameTooLarge, protocol.ProtocolViolation) as exc:
                self._kill()
                raise SandboxCrashed(f"{_text(what)}: protocol broken "
                                     f"({inbound.clip(str(exc), inbound.DETAIL_CHARS)})") from None
            if time.monotonic() > deadline:
                # The reply came in time but took the grader past the deadline to unpack:
                # that time is the call's too. The stream is in step, so no restart.
                raise self._time_limit(what, start, limit, outer)
            return reply
        finally:
            self._depth -= 1
            if outer:
                self._spent += time.monotonic() - start
                self._callbacks.clear()

    def _time_limit(self, what, start: float, limit: float, outer: bool) -> TimeLimitExceeded:
        if outer and time.monotonic() >= start + self._remaining_budget() - 1e-3:
            return TimeLimitExceeded(f"{_text(what)}: {self._budget_message()}")
        return TimeLimitExceeded(f"{_text(what)}: exceeded the {limit:g}s time limit")

    def _request_bytes(self, req: protocol.Request, what) -> bytes:
        try:
            return protocol.request_to_wire(req, on_other=self._encode_other, caps=self._request_caps)
        except NotEncodable as exc:
            raise UnsafeValue(f"{_text(what)}: cannot send argument: {exc}") from None

    def _receive(self, proc, deadline, what, seq: int) -> protocol.Response:
        while True:
            raw = proc.channel.recv(deadline)
            try:
                resp = protocol.response_from_wire(raw, caps=self._reply_caps)
            except CodecError as exc:
                # The shim encodes within these same caps, so this frame was forged by
                # student code, and what else it wrote cannot be told apart: restart.
                self._kill()
                raise UnsafeValue(f"{_text(what)}: the sandbox sent a value the grader refuses: {exc}") from None
            if resp.seq == seq:
                return resp
            if resp.seq >= self._next_seq:
                raise protocol.ProtocolViolation(f"a reply to request {resp.seq}, which was never sent")
            # The shim's own answer to a request a forged frame already answered: too late.
            log.debug("sandbox: dropped a late reply to request %d", resp.seq)

    def _settle(self, resp: protocol.Response, what, label: Label) -> Reply:
        if resp.status is Status.OK:
            wrap = self._handles.wrap
            return Reply(wrap(resp["value"], label), {key: wrap(new, label) for key, new in resp["mutated"].items()})
        if resp.status is Status.RAISED:
            err = inbound.error(resp["error"])
            if self._callbacks.error is not None and err.exc_type == "CallbackError":
                raise self._callbacks.error
            raise StudentRaised(_text(what), err.exc_type, err.message, err.traceback, err.frames)
        detail = inbound.clip(resp["error"].message, inbound.DETAIL_CHARS) if "error" in resp.fields else ""
        if resp.status is Status.UNSAFE:
            raise UnsafeValue(f"{_text(what)}: returned a value that cannot cross: {detail}")
        self._kill()
        if resp.status is Status.EXITED:
            raise SandboxCrashed(f"{_text(what)}: student code called sys.exit({resp['code']})")
        raise SandboxCrashed(f"{_text(what)}: protocol broken ({detail})")

    def _serve_callback(self, proc, resp: protocol.Response, deadline: float) -> None:
        generation = self._generation
        reply = self._callbacks.answer(resp, lambda: self._generation == generation and self._proc is proc)
        try:
            raw = protocol.request_to_wire(reply, on_other=self._encode_other, caps=self._request_caps)
        except NotEncodable as exc:
            self._callbacks.error = UnsafeValue(f"callback returned a value that cannot cross: {exc}")
            raw = protocol.request_to_wire(protocol.Request(
                Op.CALLBACK_RAISE, {"error": ErrorInfo("UnsafeValue", str(exc), "")}), caps=self._request_caps)
        proc.channel.send(raw, deadline)

    # ------------------------------------------------------------ values

    def _encode_other(self, obj):
        if isinstance(obj, Handle):
            if obj._sb is not self:
                raise NotEncodable("a handle from another sandbox")
            self._check_fresh(obj)
            return obj._ref
        if callable(obj):
            return self._callbacks.register(obj)
        raise NotEncodable(f"{type(obj).__name__} has no data encoding")

    def _check_fresh(self, handle: Handle) -> None:
        if handle._ref.generation != self._generation or self._proc is None:
            raise StaleHandle(f"{handle!r} belongs to a sandbox process that has been restarted")

    def _forget(self, ref: HandleRef) -> None:
        self._handles.forget(ref)

    def _label_of(self, handle) -> Label:
        return self._module_label if handle is None else handle._label

    def _op(self, handle, op, what, label: Label | None = None, **fields) -> Reply:
        with self._lock:
            if handle is not None:
                self._check_fresh(handle)
            target = None if handle is None else handle._ref
            return self._exchange(protocol.Request(op, {"target": target, **fields}), what, label=label)

    # ------------------------------------------------------------ operations used by proxies

    def _getattr(self, handle, name: str):
        label = self._label_of(handle).attr(name)
        return self._op(handle, Op.GETATTR, label, label, name=name).value

    def _setattr(self, handle, name: str, value) -> None:
        label = self._label_of(handle).attr(name)
        self._op(handle, Op.SETATTR, lambda: f"setting {label}", name=name, value=value)

    def _getitem(self, handle, key):
        label = self._label_of(handle).item(key)
        return self._op(handle, Op.GETITEM, label, label, key=key).value

    def _setitem(self, handle, key, value) -> None:
        label = self._label_of(handle).item(key)
        self._op(handle, Op.SETITEM, lambda: f"setting {label}", key=key, value=value)

    def _call(self, handle, args: tuple, kwargs: dict):
        label = self._label_of(handle)
        what = functools.partial(call_text, label, args, kwargs)
        reply = self._op(handle, Op.CALL, what, label.call(), args=list(args), kwargs=dict(kwargs))
        for key, new in reply.mutated.items():
            original = args[key] if type(key) is int and key < len(args) else \
                kwargs.get(key) if type(key) is str else None
            if original is not None:
                copy_back(original, new)
        return reply.value

    # ------------------------------------------------------------ public helpers

    def ref(self, handle, name: str | None = None, item=None) -> Handle:
        """A handle to handle.name or handle[item] itself (no copy), for in-place assignment."""
        if (name is None) == (item is None):
            raise ValueError("give exactly one of name or item")
        target = None if isinstance(handle, ModuleProxy) else handle
        base = self._label_of(target)
        label = base.attr(name) if name is not None else base.item(item)
        value = self._op(target, Op.REF, lambda: f"ref {label}", label, name=name, key=item).value
        if not isinstance(value, Handle):
            self._kill()
            raise SandboxCrashed(f"ref {label}: protocol broken (no handle in the reply)")
        return value

    def write_into(self, handle, values: dict) -> None:
        """handle[key][...] = value for every key, in one exchange: into the arrays the
        container holds (a network's params, which its layers hold too), not new ones."""
        label = self._label_of(handle)
        self._op(handle, Op.WRITE_INTO, lambda: f"writing into {label}", values=dict(values))

    def subtract_from(self, handle, name: str, values: dict) -> None:
        """handle.name[key] -= value for every key, in one exchange: the book's SGD step."""
        label = self._label_of(handle).attr(name)
        self._op(handle, Op.SUBTRACT_FROM, lambda: f"subtracting from {label}", label, name=name,
                 values=dict(values))

    def probe(self, array, indices: list, h: float, fn, args: tuple, kwargs: dict) -> list:
        """[fn(*args, **kwargs) with array[i] + h, ... with array[i] - h] for each index,
        each entry put back: a numerical gradient's evaluations in one exchange, whose time
        limit is one call's for each evaluation it makes."""
        label = self._label_of(fn)
        what = functools.partial(call_text, label, args, kwargs)
        with self._lock:
            self._check_fresh(array)
            self._check_fresh(fn)
            req = protocol.Request(Op.PROBE, {"target": array._ref, "indices": [tuple(i) for i in indices],
                                              "h": float(h), "fn": fn, "args": list(args), "kwargs": dict(kwargs)})
            seconds = self.limits.call_seconds * max(1, 2 * len(indices))
            return self._exchange(req, what, seconds, label.call()).value

    def fetch(self, handle) -> object:
        """The remote object as data, when it has a data encoding (handles for the rest)."""
        target = None if isinstance(handle, ModuleProxy) else handle
        label = self._label_of(target)
        return self._op(target, Op.FETCH, lambda: f"fetch {str(label) or 'module'}", label).value

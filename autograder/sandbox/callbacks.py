"""Trusted functions handed to student code during one call, and answering their calls back.

A test's `numerical_gradient(f, x)` sends f as a CallbackRef; when student code calls it,
the shim asks the trusted side, which runs f here on arguments inbound.callback_args
accepts. A failure is reported to the sandbox (student code sees a CallbackError) and kept,
so the trusted side raises the original exception once the call ends.

A function wrapped in Lent outlives the call that sent it: stored as a global of the
student's module, it stays callable until it is given back (Callbacks.give_back), and
each call runs within bounded.call's bounds, since student code picks its arguments.
"""

from __future__ import annotations

from collections.abc import Callable

from . import bounded, inbound
from .errors import UnsafeValue
from .wire import protocol
from .wire.values import CallbackRef, ErrorInfo

Op = protocol.Op


def _name(fn) -> str:
    return str(getattr(fn, "__name__", type(fn).__name__))[:40]


class Lent:
    """A trusted function sent to the sandbox for longer than one call (until given back)."""

    def __init__(self, fn: Callable, max_elements: int):
        self.fn = fn
        self.max_elements = max_elements
        self.cid: int | None = None
        self.calls = 0          # calls whose arguments crossed (whether bounded.call ran them or not)
        self.refused = False    # student code called it with arguments that may not cross
        self.exceeded = False   # ... or with arguments beyond bounded.call's bounds

    def __call__(self, *args):
        self.calls += 1
        try:
            return bounded.call(self.fn, args, self.max_elements)
        except bounded.OverBounds:
            self.exceeded = True
            raise

    @property
    def __name__(self):
        return _name(self.fn)


class Callbacks:
    def __init__(self, max_elements: int):
        self.max_elements = max_elements
        self.error: BaseException | None = None
        self._fns: dict[int, Callable] = {}
        self._lent: set[int] = set()
        self._next_cid = 1

    def register(self, fn: Callable) -> CallbackRef:
        cid, self._next_cid = self._next_cid, self._next_cid + 1
        self._fns[cid] = fn
        if isinstance(fn, Lent):
            fn.cid = cid
            self._lent.add(cid)
        return CallbackRef(cid)

    def clear(self) -> None:
        """The outer call is over: its functions can no longer be called back (lent ones can)."""
        self._fns = {cid: fn for cid, fn in self._fns.items() if cid in self._lent}

    def give_back(self, lent: Lent) -> None:
        """A lent function can no longer be called back."""
        if lent.cid is not None:
            self._lent.discard(lent.cid)
            self._fns.pop(lent.cid, None)

    def answer(self, resp: protocol.Response, still_waited_for: Callable[[], bool]) -> protocol.Request:
        """Run the function a CALLBACK response asks for; the request carrying its outcome."""
        fn = self._fns.get(resp["cid"])
        try:
            if fn is None:
                raise LookupError(f"callback {resp['cid']} is no longer registered")
            args = inbound.callback_args(resp["args"], resp["kwargs"], self.max_elements)
            return protocol.Request(Op.CALLBACK_RETURN, {"value": fn(*args)})
        except inbound.CallbackRefused as exc:
            if isinstance(fn, Lent):
                fn.refused = True
            self.error = UnsafeValue(f"student code called {_name(fn)} with arguments the grader refuses: {exc}")
            return protocol.Request(Op.CALLBACK_RAISE, {"error": ErrorInfo("CallbackRefused", str(exc), "")})
        except BaseException as exc:  # noqa: BLE001 - reported to the sandbox, re-raised once the call ends
            if not still_waited_for():
                raise  # a nested call killed the process: nothing is waiting for the reply
            self.error = exc
            return protocol.Request(Op.CALLBACK_RAISE, {"error": ErrorInfo(type(exc).__name__, str(exc)[:500], "")})

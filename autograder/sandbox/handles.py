"""The trusted side's record of the sandbox objects it holds Handles to.

The shim keeps an object alive while the trusted side may still name it. This counts the
Handles of each object and collects the ids no Handle names any more, to release with
the next request; it also turns the HandleRefs of a decoded reply into Handles, giving a
label only to those (a reply of a million numbers costs no label at all).
"""

from __future__ import annotations

from . import inbound
from .labels import Label
from .proxy import Handle
from .wire.values import HandleRef

# Values that may hold a HandleRef somewhere inside: only these are walked (and labelled).
_HOLDERS = (HandleRef, list, tuple, dict)


class HandleTable:
    def __init__(self, sandbox):
        self._sandbox = sandbox
        self.generation = 0
        self._live: dict[int, int] = {}     # oid -> number of live Handles of this generation
        self._released: set[int] = set()

    def restart(self, generation: int) -> None:
        """A new sandbox process: nothing of the old one can be released any more."""
        self.generation, self._live, self._released = generation, {}, set()

    def take_released(self) -> list[int]:
        released, self._released = sorted(self._released), set()
        return released

    def wrap(self, value, label: Label):
        """Handles in place of the sandbox's references, in a freshly decoded value."""
        typ = type(value)
        if typ is HandleRef:
            return self._new(value, label)
        if typ is list:
            return [self.wrap(v, label) for v in value]
        if typ is tuple:
            return tuple(self.wrap(v, label) for v in value)
        if typ is dict:
            return {k: v if type(v) not in _HOLDERS else self.wrap(v, label.item(k)) for k, v in value.items()}
        return value

    def _new(self, ref: HandleRef, label: Label) -> Handle:
        # The shim gives one object one oid, so several Handles may share it: the remote
        # object is released only when the last of them is gone.
        self._live[ref.oid] = self._live.get(ref.oid, 0) + 1
        self._released.discard(ref.oid)
        return Handle(self._sandbox, inbound.handle_ref(ref), label)

    def forget(self, ref: HandleRef) -> None:
        if ref.generation != self.generation:
            return
        count = self._live.get(ref.oid, 0) - 1
        if count > 0:
            self._live[ref.oid] = count
        else:
            self._live.pop(ref.oid, None)
            self._released.add(ref.oid)

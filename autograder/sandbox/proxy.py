"""Trusted-side stand-ins for objects that live in the sandbox.

A Handle forwards attribute access, item access and calls to its sandbox; the values it
hands back are decoded copies (data) or further Handles. Nothing here executes student code.
A handle's label (labels.Label) says where it came from, and is rendered only when shown.
"""

from __future__ import annotations


class Handle:
    __slots__ = ("_sb", "_ref", "_label", "__weakref__")

    def __init__(self, sb, ref, label):
        object.__setattr__(self, "_sb", sb)
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_label", label)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # keep copy/pickle/introspection probes local
        return self._sb._getattr(self, name)

    def __setattr__(self, name, value):
        self._sb._setattr(self, name, value)

    def __getitem__(self, key):
        return self._sb._getitem(self, key)

    def __setitem__(self, key, value):
        self._sb._setitem(self, key, value)

    def __call__(self, *args, **kwargs):
        return self._sb._call(self, args, kwargs)

    def __repr__(self):
        return f"<Handle {self._label} ({self._ref.type_name}) gen {self._ref.generation}>"

    def __del__(self):
        sb = self._sb
        if sb is not None:
            sb._forget(self._ref)


def remote_type(handle: Handle) -> str:
    """The class name of the sandbox object behind a handle, without a round trip."""
    return object.__getattribute__(handle, "_ref").type_name


class ModuleProxy:
    """The student's module: attribute access is a remote getattr on its globals."""

    __slots__ = ("_sb",)

    def __init__(self, sb):
        object.__setattr__(self, "_sb", sb)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._sb._getattr(None, name)

    def __setattr__(self, name, value):
        self._sb._setattr(None, name, value)

    def __repr__(self):
        return "<student module>"

"""matplotlib imported when student code first uses it, not when it imports it.

Nearly every notebook starts with `import matplotlib.pyplot as plt`, while ingest drops
the top-level plots, so most graded code never touches plt. Importing pyplot costs half a
second of CPU or more, on every sandbox start (and restart). So, until student code
reads something from it, an import of matplotlib or of one of its modules binds a
stand-in: a module of the same name, found where the real one is (a misspelt name still
fails at the import, as it should). The first attribute read from any stand-in imports
the real modules (every stand-in leaves sys.modules then, and nothing is deferred again),
and from then on each stand-in forwards to the real module of its name.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

PACKAGES = ("matplotlib",)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self):
        self.deferring = True

    def find_spec(self, fullname, path=None, target=None):
        if not self.deferring or fullname.partition(".")[0] not in PACKAGES:
            return None
        real = importlib.machinery.PathFinder.find_spec(fullname, path)
        if real is None:
            return None  # no such module: the import fails as it would have
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=real.origin,
                                              is_package=real.submodule_search_locations is not None)
        if real.submodule_search_locations is not None:
            spec.submodule_search_locations = list(real.submodule_search_locations)
        return spec

    def create_module(self, spec):
        return DeferredModule(spec.name)

    def exec_module(self, module):
        pass

    def stop(self) -> None:
        """From now on every import is real; the stand-ins leave sys.modules."""
        if self.deferring:
            self.deferring = False
            for name, module in list(sys.modules.items()):
                if isinstance(module, DeferredModule):
                    del sys.modules[name]


_finder = _Finder()


class DeferredModule(types.ModuleType):
    """A stand-in for a matplotlib module; see the module docstring."""

    def __getattr__(self, attr):
        name = self.__dict__["__name__"]
        if attr == "__path__":
            # Only a plain module gets here (a package's is set): the import system asks
            # every new module, and the real one has none either.
            raise AttributeError(attr)
        if _finder.deferring and not attr.startswith("__") and self._has_submodule(attr):
            # `from matplotlib import pyplot` asks the package for pyplot first.
            return importlib.import_module(f"{name}.{attr}")
        _finder.stop()
        return getattr(importlib.import_module(name), attr)

    def __setattr__(self, attr, value):
        if _finder.deferring or attr.startswith("__"):
            super().__setattr__(attr, value)  # the import system filling in a stand-in
        else:
            setattr(importlib.import_module(self.__dict__["__name__"]), attr, value)

    def __dir__(self):
        _finder.stop()
        return dir(importlib.import_module(self.__dict__["__name__"]))

    def __repr__(self):
        return f"<module {self.__dict__['__name__']!r} (imported on first use)>"

    def _has_submodule(self, attr) -> bool:
        path = self.__dict__.get("__path__")
        name = self.__dict__["__name__"]
        return path is not None and importlib.machinery.PathFinder.find_spec(f"{name}.{attr}", path) is not None


def install() -> None:
    """Defer the imports of PACKAGES in this process (before student code runs)."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)

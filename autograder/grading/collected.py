"""A hidden suite collected once per process, and run again for each submission.

`pytest.main` per submission configured pytest, walked the suite's folder, imported and
rewrote its modules, built its tests and their fixture closures, and unconfigured it all
again: work that depends on the suite alone. Here pytest is configured and the suite
collected once; a submission's run is pytest's own loop (`pytest_runtestloop`) over the
tests already collected, the suite's SuiteHost passing fixtures and hooks to that
submission's GradingPlugin.

Each run starts as a fresh import would:
- each test module's code runs again into its own namespace before the run, so whatever
  a test (or student code writing back into a test's array) did to module-level state
  (an array, a dict, a cache) is gone; the collected test functions read their globals
  from that namespace. Their default arguments and parametrize values are the ones
  collected, never run again: the hidden suites use neither for mutable data.
- fixtures of every scope are torn down after the last test (pytest does so when there
  is no next test), and set up again by the next run;
- the suite's modules are in sys.modules during a run only, as they were: importlib mode
  names a module by its path under the suite ("test_relu"), and two chapters have a file
  of that name;
- pytest's assertion-rewriting import hook is out of sys.meta_path between runs, so it
  rewrites no module imported elsewhere in the process.

A suite is kept while its files are as they were (names and bytes) and collected again
when one changed; a run that pytest stopped (an exit, an interrupt, an internal error)
discards it, so the next run starts from a new collection.

What pytest offers for this is its hooks (the session's collection, its run loop) and
three names of its own internals, the ones pytest.main itself calls: _prepareconfig,
Config._do_configure and Config._ensure_unconfigure; and _rewrite_test, which its
assertion-rewriting import hook compiles a test module with. tests/grading/
test_collected.py fails if a pytest upgrade changes them.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import threading
import traceback
from collections import OrderedDict
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from _pytest.assertion.rewrite import AssertionRewritingHook, _rewrite_test
from _pytest.config import _prepareconfig   # what pytest.main builds its Config with

from .plugin import GradingPlugin, SuiteHost

# Suites kept per process: a batch grades one chapter, a mixed class a few.
KEPT = 8
# What the import system set on a module; the rest of its namespace is the module's code's.
IMPORT_ATTRIBUTES = frozenset({"__name__", "__package__", "__loader__", "__spec__", "__file__",
                               "__cached__", "__builtins__"})


def stamp(suite_dir: Path) -> str:
    """A digest of the suite's files as they are now, their names and their bytes (a
    modification time can stay the same across two quick writes: a few KB read is less
    than a millisecond)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(suite_dir.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        for part in (str(path.relative_to(suite_dir)).encode("utf-8", "surrogateescape"), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


class SuiteBroken(RuntimeError):
    """A test module's code raised when it ran again for a run: the suite is broken (a
    file it reads went away), for every submission alike."""


class CollectedSuite:
    """pytest configured on one suite folder, its tests collected; `run` grades one
    submission with them. Not reentrant: runs take a lock."""

    def __init__(self, suite_dir: Path, args: list[str]):
        self.suite_dir = suite_dir
        self.stamp = stamp(suite_dir)
        self.host = SuiteHost()
        self.broken = False
        # pytest keeps the stdout it was configured under (its terminal writer, the
        # capture's original): one sink for the life of the suite, emptied per run.
        self.sink = io.StringIO()
        self._lock = threading.Lock()
        hooks_before = list(sys.meta_path)
        with redirect_stdout(self.sink), redirect_stderr(self.sink):
            self.config = _prepareconfig(args, plugins=[self.host])
            self.session = pytest.Session.from_config(self.config)
            self._configured = False
            try:
                self.config._do_configure()
                self._configured = True
                self.config.hook.pytest_sessionstart(session=self.session)
                self.config.hook.pytest_collection(session=self.session)
                self.items: list[pytest.Item] = list(self.session.items)
                self.modules = {module.obj.__name__: module.obj for module in
                                {item.getparent(pytest.Module) for item in self.items} - {None}}
                self._code = {name: self._code_of(module) for name, module in self.modules.items()}
            except BaseException:
                self.close()
                raise
        for hook in [hook for hook in sys.meta_path if hook not in hooks_before]:
            sys.meta_path.remove(hook)
        self._forget_modules()

    def run(self, plugin: GradingPlugin) -> tuple[int, str]:
        """Run every test for the submission `plugin` grades: pytest's exit code and what
        it wrote."""
        with self._lock, redirect_stdout(self.sink), redirect_stderr(self.sink):
            self.sink.seek(0)
            self.sink.truncate()
            cwd = os.getcwd()
            try:
                self._fresh_modules()
            except Exception as exc:  # noqa: BLE001 - whatever the suite's own code raised
                self.broken = True
                self._forget_modules()
                raise SuiteBroken("".join(traceback.format_exception(exc)[-20:])) from exc
            plugin.index(self.items)
            self.host.current = plugin
            self.session.testsfailed = 0
            # The terminal reporter files every report of every run; nothing reads them
            # (no summary is printed), and a batch would keep them all. Likewise what
            # each test printed, which it keeps per phase for its reports.
            if (reporter := self.config.pluginmanager.get_plugin("terminalreporter")) is not None:
                reporter.stats.clear()
            for item in self.items:
                item._report_sections.clear()
            try:
                self.config.hook.pytest_runtestloop(session=self.session)
                code = pytest.ExitCode.TESTS_FAILED if self.session.testsfailed else pytest.ExitCode.OK
            except pytest.Session.Failed:
                code, self.broken = pytest.ExitCode.TESTS_FAILED, True
            except (KeyboardInterrupt, pytest.exit.Exception, pytest.Session.Interrupted):
                # As pytest.main: the run ends there, the tests not run are said so.
                code, self.broken = pytest.ExitCode.INTERRUPTED, True
            except BaseException:  # noqa: BLE001 - pytest.main reports these as an internal error
                traceback.print_exc(file=self.sink)
                code, self.broken = pytest.ExitCode.INTERNAL_ERROR, True
            finally:
                self.host.current = None
                self._forget_modules()
                os.chdir(cwd)
            return int(code), self.sink.getvalue()

    def _code_of(self, module) -> object:
        """The module's code as its import ran it: with pytest's assertions rewritten, as
        the rewriting hook compiles it (kept: with no bytecode written, the hook would
        parse and rewrite the file again for every run)."""
        loader, origin = module.__spec__.loader, module.__spec__.origin
        if isinstance(loader, AssertionRewritingHook):
            return _rewrite_test(Path(origin), self.config)[1]
        return loader.get_code(module.__name__)

    def _fresh_modules(self) -> None:
        """Each test module's code run again into its namespace, in sys.modules meanwhile."""
        for name, module in self.modules.items():
            namespace = vars(module)
            for key in [key for key in namespace if key not in IMPORT_ATTRIBUTES]:
                del namespace[key]
            sys.modules[name] = module
            exec(self._code[name], namespace)  # noqa: S102 - the suite's own code, as its import ran it

    def _forget_modules(self) -> None:
        prefix = str(self.suite_dir) + os.sep
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if isinstance(file, str) and file.startswith(prefix):
                del sys.modules[name]

    def close(self) -> None:
        """Tear pytest down as pytest.main does at its end."""
        with redirect_stdout(self.sink), redirect_stderr(self.sink):
            try:
                if self._configured:
                    self.config.hook.pytest_sessionfinish(session=self.session, exitstatus=0)
            finally:
                self.config._ensure_unconfigure()
                self._forget_modules()


_kept: OrderedDict[Path, CollectedSuite] = OrderedDict()
_kept_lock = threading.Lock()


def collected(suite_dir: Path, args: list[str]) -> CollectedSuite:
    """The suite at suite_dir (resolved), collected in this process: the one kept when
    its files have not changed since, else a new collection (kept in its place)."""
    with _kept_lock:
        suite = _kept.pop(suite_dir, None)
        if suite is not None and (suite.broken or suite.stamp != stamp(suite_dir)):
            suite.close()
            suite = None
        if suite is None:
            suite = CollectedSuite(suite_dir, args)
        _kept[suite_dir] = suite
        while len(_kept) > KEPT:
            _kept.popitem(last=False)[1].close()
        return suite


def discard(suite_dir: Path) -> None:
    """Forget the suite at suite_dir (a broken one is not kept)."""
    with _kept_lock:
        suite = _kept.pop(suite_dir, None)
    if suite is not None:
        suite.close()

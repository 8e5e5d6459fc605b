"""The sandbox process from start to exit: configuration, limits, root dropped, serve.

Nothing of the student's runs before main() has applied every limit and dropped root.
"""

from __future__ import annotations

import os
from importlib import import_module

import numpy  # noqa: F401 - before any student code, so its module state is numpy's own

from ..wire import protocol, transport
from . import deferred, seccomp
from .shim import Shim

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
           "textwrap", "pprint", "inspect", "contextlib", "uuid", "platform",
           # What matplotlib and its requirements import from the standard library when
           # pyplot is imported and a figure is drawn and saved (PNG, PDF, SVG); about 15 ms.
           "argparse", "concurrent.futures", "difflib", "fileinput", "gettext", "html.entities",
           "importlib.resources", "plistlib", "shlex", "sysconfig", "timeit", "unittest",
           "xml.etree.ElementTree", "xml.etree.cElementTree", "xml.parsers.expat", "zoneinfo",
           "encodings.latin_1", "encodings.utf_16_be")

# The protocol fds move this high so student code closing or dup2-ing low fds does not
# hit them by accident.
REQ_FD, RESP_FD = 1000, 1001


def apply_limits(cfg: protocol.ChildConfig) -> None:
    import resource
    pairs = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_CPU, cfg.cpu_seconds),
             (resource.RLIMIT_AS, cfg.memory_bytes), (resource.RLIMIT_FSIZE, cfg.file_bytes),
             (resource.RLIMIT_NOFILE, cfg.open_files)]
    if cfg.processes > 0:
        pairs.append((resource.RLIMIT_NPROC, cfg.processes))
    for res, value in pairs:
        resource.setrlimit(res, (value, value))


def drop_privileges(uid: int) -> None:
    if os.getuid() != 0 or uid < 0:
        return
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)  # from root to non-root: the kernel clears every capability
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("could not drop root")


def preload() -> None:
    for name in PRELOAD:
        try:
            import_module(name)
        except ImportError:
            pass


def main(argv: list[str]) -> None:
    req_arg, resp_arg = (int(arg) for arg in argv)
    serve(req_arg, resp_arg)


def serve(req_arg: int, resp_arg: int, preloaded: bool = False) -> None:
    """Everything after the start: configuration, limits, root dropped, serve, exit. A
    child of the template (zygote.py) comes here too, with the template's imports done."""
    # Done before RLIMIT_NOFILE forbids fds this high.
    req_fd, resp_fd = os.dup2(req_arg, REQ_FD), os.dup2(resp_arg, RESP_FD)
    os.close(req_arg)
    os.close(resp_arg)
    channel = transport.Channel(req_fd, resp_fd, protocol.CONFIG_FRAME_BYTES)
    try:
        cfg = protocol.config_from_wire(channel.recv())
    except transport.ChannelClosed:
        os._exit(0)
    channel.max_frame = cfg.max_frame_bytes
    apply_limits(cfg)
    if cfg.preload and not preloaded:
        preload()
    drop_privileges(cfg.uid)
    if cfg.block_userns:
        seccomp.forbid_user_namespaces()
    deferred.install()
    shim = Shim(channel, cfg)
    shim.send(protocol.Status.OK, value="ready", mutated={})
    try:
        shim.serve_forever()
    except transport.ChannelClosed:
        pass
    Shim.flush_output()
    os._exit(0)

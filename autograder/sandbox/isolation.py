"""Which wall stands around the child, and how to build its command line.

Two layers:
  bubblewrap  own mount/PID/net/IPC/UTS namespaces over a read-only minimal tree; a
              tmpfs of its own size is the only writable place; dies with its parent.
  fallback    rlimits + own session + a dedicated uid and `unshare --net` (when root).
Both layers drop root to a dedicated per-sandbox uid (uids.py leases it and ends what
it left), so "kill everything of that uid" reaches any double-forked grandchild whatever
session or namespace it escaped to.
"""

from __future__ import annotations

import functools
import logging
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass

import numpy

from . import plotting, readable

log = logging.getLogger("autograder.sandbox")

BUBBLEWRAP = "bubblewrap"
FALLBACK = "fallback"
ENV_FORCE = "AUTOGRADER_SANDBOX_ISOLATION"
# What of the grader the sandbox sees: the shared wire package and the shim, as the
# package tree autograder/sandbox/{wire,shim} under one folder put first on its sys.path
# (with numpy, matplotlib and matplotlib's requirements beside them); `autograder` and
# `autograder.sandbox` are namespace packages there, so nothing of the trusted side exists inside.
SANDBOX_DIR = os.path.dirname(os.path.abspath(__file__))
SHARED = ("wire", "shim")
PACKAGE_PATH = os.path.join("autograder", "sandbox")
BOOT = os.path.join(PACKAGE_PATH, "shim", "boot.py")
INSIDE_ROOT = "/opt/dlfs"
INSIDE_WORKDIR = "/sandbox"

# The machines the shim's seccomp filter knows (shim/seccomp.py; the trusted side does
# not import the shim, so the list is repeated here and a test holds the two together).
USERNS_FILTER_MACHINES = ("x86_64", "aarch64")

_bwrap_verdict: tuple[bool, str] | None = None
_bwrap_help: str | None = None
_warned: set[str] = set()


def warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        log.warning(message)


# ------------------------------------------------------------------ layer choice


def _bwrap_self_test() -> tuple[bool, str]:
    exe = shutil.which("bwrap")
    if exe is None:
        return False, "bwrap not found"
    try:
        argv = [exe, *_namespace_flags(), *_base_tree(), "--", _python(), "-I", "-c", "pass"]
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bwrap self-test failed: {exc}"
    if done.returncode != 0:
        return False, f"bwrap self-test exited {done.returncode}: {done.stderr.decode(errors='replace')[:300]}"
    return True, "ok"


def choose_layer(requested: str) -> str:
    global _bwrap_verdict
    forced = os.environ.get(ENV_FORCE, "").strip().lower()
    if requested == "auto" and forced in (BUBBLEWRAP, FALLBACK):
        requested = forced
    if requested == FALLBACK:
        return FALLBACK
    if _bwrap_verdict is None:
        _bwrap_verdict = _bwrap_self_test()
    ok, why = _bwrap_verdict
    if ok:
        return BUBBLEWRAP
    if requested == BUBBLEWRAP:
        raise RuntimeError(f"bubblewrap isolation requested but unavailable: {why}")
    warn_once("no-bwrap", f"sandbox: bubblewrap unavailable ({why}); falling back to rlimits+setsid+uid+netns")
    return FALLBACK


@functools.lru_cache(maxsize=None)
def _unshare_works(*flags: str) -> bool:
    """Whether `unshare FLAGS -- true` succeeds here: as root without bubblewrap it needs
    no user namespace, so a machine that merely lacks the bwrap package keeps this much."""
    exe = shutil.which("unshare")
    try:
        return exe is not None and os.getuid() == 0 and subprocess.run(
            [exe, *flags, "--", "true"], stdin=subprocess.DEVNULL, capture_output=True,
            timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def fallback_network_cut() -> bool:
    """Whether the fallback can still cut the network (`unshare --net`)."""
    if not _unshare_works("--net"):
        warn_once("no-netns", "sandbox fallback: cannot create a network namespace; "
                              "student code keeps network access")
        return False
    return True


def fallback_ipc_cut() -> bool:
    """Whether the fallback's `unshare` can give the process its own IPC namespace too, so
    a SysV shared memory segment goes with the process instead of staying on the machine."""
    return _unshare_works("--net", "--ipc")


def describe_layer(layer: str, dropped_uid: bool) -> str:
    if layer == BUBBLEWRAP:
        return "bubblewrap"
    parts = ["rlimits", "setsid"] + (["uid"] if dropped_uid else []) + \
        (["netns"] if fallback_network_cut() else [])
    text = "fallback: " + "+".join(parts)
    return text if dropped_uid else text + " (not root: no uid drop)"


# ------------------------------------------------------------------ command lines


def _python() -> str:
    return os.path.realpath(sys.executable)


def numpy_dirs() -> list[str]:
    """The folders of the numpy the grader runs (its package and bundled libraries)."""
    pkg = os.path.dirname(os.path.realpath(numpy.__file__))
    return [pkg] + [p for p in (os.path.join(os.path.dirname(pkg), "numpy.libs"),) if os.path.isdir(p)]


def library_paths() -> list[str]:
    """Everything besides the shim that student code may import: numpy, matplotlib and
    what matplotlib requires, each under its own name at the root of the sandbox's tree."""
    return numpy_dirs() + list(plotting.package_paths())


def bwrap_supports(flag: str) -> bool:
    """Whether this machine's bwrap knows a flag (--size came in 0.5, --disable-userns in 0.8)."""
    global _bwrap_help
    if _bwrap_help is None:
        exe = shutil.which("bwrap")
        try:
            done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=10) if exe else None
            _bwrap_help = done.stdout + done.stderr if done else ""
        except (OSError, subprocess.TimeoutExpired):
            _bwrap_help = ""
    return f"{flag} " in _bwrap_help


def can_block_userns() -> bool:
    """Whether the shim can refuse new user namespaces (its seccomp filter knows this machine)."""
    if platform.machine() in USERNS_FILTER_MACHINES:
        return True
    warn_once("userns", f"sandbox: no seccomp filter for {platform.machine()}; "
                        "student code may create user namespaces")
    return False


def _namespace_flags(template: bool = False) -> list[str]:
    # Not --unshare-all: that includes a user namespace, and when bwrap starts as root
    # the sandbox uid (whatever --uid says) maps back to real root outside, the owner of
    # every root file. Without a user namespace the shim's own setuid() to the dedicated
    # uid is a real drop: kernel-wide uid, all capabilities cleared. bwrap keeps only
    # CAP_SETUID/CAP_SETGID for that drop; student code never runs before it. The template
    # of the warm pool (shim/zygote.py) keeps CAP_SYS_ADMIN and CAP_NET_ADMIN too, for the
    # namespaces, mounts and loopback each forked child makes for itself before it lowers
    # its capabilities and drops.
    flags = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if os.getuid() == 0:
        flags += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        if template:
            flags += ["--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_NET_ADMIN"]
    else:
        # Here bwrap has a user namespace of its own, and can forbid nested ones itself.
        flags += ["--unshare-user"] + (["--disable-userns"] if bwrap_supports("--disable-userns") else [])
    return flags


def _mkdirs_for(path: str, seen: set[str]) -> list[str]:
    # bwrap creates missing parents of a mount point as 0700 dirs owned by root, which the
    # dropped uid could not traverse: create each one explicitly, world-traversable.
    args = []
    parts = path.strip("/").split("/")[:-1]
    for i in range(1, len(parts) + 1):
        parent = "/" + "/".join(parts[:i])
        if parent not in seen and parent not in ("/usr",) and not parent.startswith("/usr/"):
            seen.add(parent)
            args += ["--perms", "0755", "--dir", parent]
    return args


def _base_tree() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--proc", "/proc", "--dev", "/dev"]
    prefix = os.path.realpath(sys.base_prefix)
    if not (prefix == "/usr" or prefix.startswith("/usr/")):
        args += _mkdirs_for(prefix, set()) + ["--ro-bind", prefix, prefix]
    return args


def environment(workdir_inside: str, mplconfig_inside: str) -> dict:
    """The whole environment of a sandbox process."""
    return {"PATH": "/usr/bin:/bin", "HOME": workdir_inside, "TMPDIR": workdir_inside, "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            **plotting.environment(mplconfig_inside)}


@dataclass
class Command:
    argv: list[str]
    workdir_inside: str     # the student's working folder as the sandbox sees it
    mplconfig_inside: str   # matplotlib's configuration folder as the sandbox sees it


def _stage(lib: str, dropping: bool) -> None:
    """The fallback's view of the grader: lib/ laid out as the jail's INSIDE_ROOT, with
    links to the checkout's wire/ and shim/ and to the libraries, and nothing else.

    A uid dropped to follows these links after the drop too (matplotlib is imported on
    first use): what lies in a folder only the grader's user may enter is linked from a
    copy others can read instead (readable.py)."""
    def link(paths: list[str], folder: str) -> None:
        for path, source in zip(paths, readable.for_others(paths) if dropping else paths):
            os.symlink(source, os.path.join(folder, os.path.basename(path)))

    package = os.path.join(lib, PACKAGE_PATH)
    os.makedirs(package, mode=0o755)
    link([os.path.join(SANDBOX_DIR, name) for name in SHARED], package)
    link(library_paths(), lib)
    for folder in (lib, os.path.join(lib, "autograder"), package):
        os.chmod(folder, 0o755)  # makedirs honours the umask; the dropped uid must read these


def _workdir_mount(workdir: str, size: int) -> list[str]:
    if bwrap_supports("--size"):
        # In memory, of a fixed size, gone with the sandbox; sticky and world-writable as
        # /tmp is, since the sandbox's uid cannot own a folder bwrap makes.
        return ["--perms", "01777", "--size", str(size), "--tmpfs", INSIDE_WORKDIR]
    warn_once("no-tmpfs-size", "sandbox: bwrap cannot size a tmpfs; the working folder is on disk")
    return ["--bind", workdir, INSIDE_WORKDIR]


def build_command(layer: str, root: str, workdir: str, fds: tuple[int, ...], workdir_bytes: int,
                  uid: int | None = None, template: bool = False) -> Command:
    """The command line of the sandbox process: its interpreter, the shim, the two pipe fds.

    `root` is a folder of ours for this process, `workdir` the student's folder inside it
    (under bubblewrap a tmpfs of workdir_bytes takes its place); `uid` the one the shim
    drops to, which must own matplotlib's configuration folder when that is on disk.
    `template`: the warm pool's template instead, given one fd, its control socket."""
    fd_args = (["zygote"] if template else []) + [str(fd) for fd in fds]
    if layer == FALLBACK:
        lib = os.path.join(root, "lib")
        _stage(lib, dropping=uid is not None or template)
        argv = [_python(), "-I", os.path.join(lib, BOOT), *fd_args]
        if fallback_network_cut():
            ipc = ["--ipc"] if fallback_ipc_cut() else []
            argv = [shutil.which("unshare"), "--net", *ipc, "--"] + argv  # exec, no extra process
        return Command(argv, workdir, plotting.host_config(root, uid))
    args = ["bwrap", *_namespace_flags(template), *_base_tree()]
    seen: set[str] = set()
    for name in SHARED:
        inside = f"{INSIDE_ROOT}/{PACKAGE_PATH}/{name}"
        args += _mkdirs_for(inside, seen) + ["--ro-bind", os.path.join(SANDBOX_DIR, name), inside]
    for path in library_paths():
        inside = f"{INSIDE_ROOT}/{os.path.basename(path)}"
        args += _mkdirs_for(inside, seen) + ["--ro-bind", path, inside]
    args += _mkdirs_for(plotting.INSIDE_CONFIG, seen)
    args += plotting.bwrap_config(root, uid, bwrap_supports("--size"))
    args += _workdir_mount(workdir, workdir_bytes) + ["--chdir", INSIDE_WORKDIR]
    args += ["--", _python(), "-I", f"{INSIDE_ROOT}/{BOOT}", *fd_args]
    return Command(args, INSIDE_WORKDIR, plotting.INSIDE_CONFIG)

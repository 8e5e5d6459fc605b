"""Folders the fallback's dropped uid can read, wherever the grader is installed.

Under the fallback layer the sandbox runs the grader's own numpy, matplotlib (with what it
requires) and shim straight from where they are installed. When that is inside a folder
only its owner may enter (a home directory, a checkout in `mktemp -d`), the dropped uid
cannot reach them: whatever is imported after the drop (matplotlib, on first use; a numpy
submodule; a font matplotlib draws with) is missing. Loosening the user's folders is not
ours to do, and handing the sandbox a descriptor of a folder inside would let it walk up
`..` to everything beside it (the hidden suites among them).

So such folders are copied, side by side, once per content, into a cache in the temporary
folder that others may read and only we may write: code that is public anyway (numpy,
matplotlib, the shim), nothing of the private folder around it. One grader builds an
entry (the others wait on a lock), aside, and renames it into place whole, so none sees
half of one; it counts its files, so an entry a cleaner of the temporary folder has
thinned is built again. Its name is a fingerprint of the files (names, sizes, times), so
an upgraded library or an edited shim gets a new one. Folders others can already read are used where they are, and
without root (no uid to drop to) none of this is asked for.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Sequence

log = logging.getLogger("autograder.sandbox")

PREFIX = "dlfs-autograder-readable"
OPEN_DIR = stat.S_IROTH | stat.S_IXOTH
# Python rewrites its bytecode caches as it pleases: they are copied (so imports in the
# sandbox need not compile) but do not name the copy.
UNNAMING = "__pycache__"
# In each entry, how many files it was built with: fewer means a cleaner took some.
MANIFEST = ".files"
LOCK = ".lock"

_lock = threading.Lock()
_chosen: dict[tuple[str, ...], list[str]] = {}  # sources -> the paths the sandbox is given
_refused: set[str] = set()                      # cache folders found unsafe, said once


def cache_root() -> str:
    """The cache's folder, one per user of the grader (only it may write there)."""
    return os.path.join(tempfile.gettempdir(), f"{PREFIX}-{os.geteuid()}")


def for_others(paths: Sequence[str]) -> list[str]:
    """`paths` (files or folders), or copies of them that any uid can read.

    They are copied together, side by side, when any one of them is private: a library
    finds its neighbours by relative paths (numpy's extension modules load their BLAS
    from ../../numpy.libs). Falls back to `paths` themselves (with a warning) when no
    safe cache folder can be had, so the sandbox is never worse off than without this."""
    key = tuple(paths)
    with _lock:
        known = _chosen.get(key)
        if known is not None and all(os.path.exists(path) for path in known):
            return known
        _chosen[key] = chosen = _choose(list(key))
        return chosen


def _choose(paths: list[str]) -> list[str]:
    reals = [os.path.realpath(path) for path in paths]
    digest, everything_open = hashlib.sha256(), True
    for real in reals:
        fingerprint, open_inside = _survey(real)
        digest.update(fingerprint.encode())
        everything_open = everything_open and open_inside and _ancestors_open(real)
    if everything_open:
        return paths
    root = _safe_root()
    if root is None:
        return paths
    entry = os.path.join(root, digest.hexdigest()[:24])
    copies = [os.path.join(entry, os.path.basename(real)) for real in reals]
    try:
        _ensure(reals, entry)
    except (OSError, shutil.Error) as exc:  # a full disk, say: the sandbox starts as before
        log.warning("sandbox fallback: could not copy %s for the sandbox's uid (%s)", entry, exc)
        return paths
    return copies


def _ensure(reals: list[str], entry: str) -> None:
    """An intact entry at `entry`, built by one grader while the others wait for it."""
    if _intact(entry):
        return
    with open(os.path.join(os.path.dirname(entry), LOCK), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _intact(entry):
            return
        if os.path.lexists(entry):
            # A cleaner of the temporary folder took some of its files (systemd-tmpfiles
            # ages out what nobody read for days): moved aside whole, then built again.
            stale = tempfile.mkdtemp(prefix=".stale-", dir=os.path.dirname(entry))
            os.rename(entry, os.path.join(stale, "entry"))
            shutil.rmtree(stale, ignore_errors=True)
        _build(reals, entry)
        log.info("sandbox: %s is private to its owner; the sandbox reads a copy in %s",
                 os.path.dirname(reals[0]), entry)


def _ancestors_open(real: str) -> bool:
    """Whether any uid can pass through every folder above `real`."""
    folder = os.path.dirname(real)
    while True:
        try:
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
        parent = os.path.dirname(folder)
        if parent == folder:
            return True
        folder = parent


def _open_to_others(mode: int) -> bool:
    needed = OPEN_DIR if stat.S_ISDIR(mode) else stat.S_IROTH
    return mode & needed == needed


def _survey(real: str) -> tuple[str, bool]:
    """A fingerprint of the tree at `real`, and whether others can read all of it."""
    digest = hashlib.sha256(os.path.basename(real).encode() + b"\0")
    top = os.stat(real)
    open_inside = _open_to_others(top.st_mode)
    if not stat.S_ISDIR(top.st_mode):
        digest.update(f"{top.st_size}:{top.st_mtime_ns}:{top.st_mode & 0o111}".encode())
        return digest.hexdigest()[:24], open_inside
    for folder, dirs, files in os.walk(real):
        dirs.sort()
        relative = os.path.relpath(folder, real)
        for name in dirs:
            st = _stat(os.path.join(folder, name))
            open_inside = open_inside and st is not None and _open_to_others(st.st_mode)
        for name in sorted(files):
            st = _stat(os.path.join(folder, name))
            if st is None:
                continue  # a dangling link: nothing to read, nothing copied
            open_inside = open_inside and _open_to_others(st.st_mode)
            if UNNAMING not in relative.split(os.sep):
                line = f"{relative}/{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_mode & 0o111}\n"
                digest.update(line.encode())
    return digest.hexdigest()[:24], open_inside


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _safe_root() -> str | None:
    """The cache folder, made if need be; None (said once) when it is not one only we
    can write, or others cannot reach it: a copy anyone could swap would run as the shim."""
    root = cache_root()
    try:
        os.mkdir(root, 0o755)
        os.chmod(root, 0o755)  # mkdir honours the umask
    except FileExistsError:
        pass
    except OSError as exc:
        return _refuse(root, f"cannot create it ({exc})")
    st = os.lstat(root)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return _refuse(root, "it is not a folder of this user")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return _refuse(root, "others may write there")
    if not (_open_to_others(st.st_mode) and _ancestors_open(root)):
        return _refuse(root, "the sandbox's uid cannot reach it")
    return root


def _refuse(root: str, why: str) -> None:
    if root not in _refused:
        _refused.add(root)
        log.warning("sandbox fallback: not using %s for readable copies: %s; code installed in a "
                    "private folder is missing inside the sandbox", root, why)
    return None


def _files(entry: str) -> int:
    """How many files an entry holds, bytecode caches aside (Python may add those)."""
    count = 0
    for folder, dirs, files in os.walk(entry):
        dirs[:] = [name for name in dirs if name != UNNAMING]
        count += len(files)
    return count


def _intact(entry: str) -> bool:
    try:
        with open(os.path.join(entry, MANIFEST)) as fh:
            written = int(fh.read())
    except (OSError, ValueError):
        return False
    return _files(entry) == written


def _build(reals: list[str], entry: str) -> None:
    work = tempfile.mkdtemp(prefix=".build-", dir=os.path.dirname(entry))
    try:
        for real in reals:
            target = os.path.join(work, os.path.basename(real))
            if os.path.isdir(real):
                shutil.copytree(real, target, copy_function=_copy_file, ignore_dangling_symlinks=True)
            else:
                _copy_file(real, target)
        for folder, dirs, _ in os.walk(work):
            for name in dirs:
                os.chmod(os.path.join(folder, name), 0o755)  # copytree copied the source's modes
        count = _files(work) + 1  # with itself
        with open(os.path.join(work, MANIFEST), "w") as fh:
            fh.write(str(count))  # written last: an entry without it is not whole
        os.chmod(os.path.join(work, MANIFEST), 0o644)
        os.chmod(work, 0o755)
        try:
            os.rename(work, entry)  # whole, at once; fails if another grader was first
        except OSError:
            if not os.path.isdir(entry):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _copy_file(src: str, dst: str) -> None:
    # copy2 keeps the times, so the copied bytecode caches still match their sources.
    shutil.copy2(src, dst)
    os.chmod(dst, 0o755 if os.stat(src).st_mode & stat.S_IXUSR else 0o644)

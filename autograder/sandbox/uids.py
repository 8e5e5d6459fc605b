"""The dedicated uids a sandbox runs as: leasing one, and ending everything it left.

A uid is leased per sandbox (an flock, so parallel graders never share one). When its
process ends, every process of that uid is killed, wherever it escaped to, and in the
fallback layer (no mount namespace) every file it made in the machine's shared writable
folders is removed, so nothing of one run reaches a restart or the uid's next submission.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pwd
import shutil
import signal
import stat
import time

log = logging.getLogger("autograder.sandbox")

UID_RANGE = range(61000, 61999)
UID_LOCK_DIR = "/tmp/autograder-sandbox-uids"


class UidLease:
    """An exclusive uid for one sandbox, held by an flock so parallel graders never share one."""

    def __init__(self):
        os.makedirs(UID_LOCK_DIR, mode=0o700, exist_ok=True)
        for uid in UID_RANGE:
            try:
                pwd.getpwuid(uid)
                continue  # a real account: never borrow it
            except KeyError:
                pass
            fd = os.open(os.path.join(UID_LOCK_DIR, str(uid)), os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.uid, self._fd = uid, fd
            return
        raise RuntimeError("no free sandbox uid")

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def pids_of_uid(uid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                zombie = False
                for line in fh:
                    if line.startswith("State:"):
                        zombie = line.split()[1] in ("Z", "X")  # already dead, waiting to be reaped
                    elif line.startswith("Uid:"):
                        if int(line.split()[1]) == uid and not zombie:
                            pids.append(int(entry))
                        break
        except OSError:
            continue
    return pids


def kill_uid(uid: int, timeout: float = 2.0) -> bool:
    """SIGKILL every process of uid; True when none is left.

    A forked helper becomes that uid and calls kill(-1): the kernel walks all processes
    in one pass under its task-list lock, so a fork racing the walk is still caught.
    """
    deadline = time.monotonic() + timeout
    while True:
        if not pids_of_uid(uid):
            return True
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked helper
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        if time.monotonic() > deadline:
            return not pids_of_uid(uid)
        time.sleep(0.01)


# The machine's folders any uid may write to. The fallback has no mount namespace, so a
# sandbox's uid can leave files there (bubblewrap shows none of them); whatever the uid
# owns in them is removed when its process ends, so no file outlives the process: not
# into the restart after a loan of the reference, not into the next submission given the uid.
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", "/run/lock", "/var/lock")
# How deep below them a world-writable folder is looked into (/tmp/.X11-unix/ and the like).
SWEEP_DEPTH = 4


def remove_files_of(uid: int) -> list[str]:
    """Remove what `uid` owns in the shared writable folders; returns the paths removed.

    Only folders everyone may write to are looked into, since only there can the uid have
    made an entry in a folder it does not own; an entry it owns goes whole (a folder with
    everything in it; a link, never what it points to). Run after the uid's processes are
    killed, so nothing of it races the removal."""
    removed: list[str] = []
    seen: set[str] = set()

    def sweep(folder: str, depth: int) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            return
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if info.st_uid == uid:
                try:
                    if stat.S_ISDIR(info.st_mode):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)
                    removed.append(entry.path)
                except OSError as exc:
                    log.error("sandbox: could not remove %s left by uid %d: %s", entry.path, uid, exc)
            elif stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IWOTH and depth < SWEEP_DEPTH:
                sweep(entry.path, depth + 1)

    for folder in SHARED_WRITABLE:
        real = os.path.realpath(folder)
        if real not in seen and os.path.isdir(real):
            seen.add(real)
            sweep(real, 0)
    if removed:
        log.info("sandbox: removed %d file(s) uid %d left in shared folders", len(removed), uid)
    return removed

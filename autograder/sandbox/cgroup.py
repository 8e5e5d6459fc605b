"""A cgroup per sandbox process: memory and process count for the whole tree it spawns.

RLIMIT_AS bounds one process and RLIMIT_NPROC one uid; a cgroup bounds everything the
sandbox starts together (a student forking ten children of 1.5 GB each), and the kernel
charges the pages of the sandbox's tmpfs to it too. It is made below the grader's own
cgroup (cgroup v2 where memory and pids are delegated to it, else the v1 memory and pids
hierarchies, as root), entered by the sandbox's first process before it execs anything,
and removed when the process is gone. Where neither works the grader says so once and
the rlimits stay the only bound.
"""

from __future__ import annotations

import itertools
import logging
import os
import time

from .isolation import warn_once

log = logging.getLogger("autograder.sandbox")

# bwrap and its init run in the cgroup beside the student's processes.
WALL_PROCESSES = 4
_names = itertools.count(1)


def _own_cgroups() -> dict[str, str]:
    """{controller or "" for v2: path of the grader's own cgroup} from /proc/self/cgroup."""
    found = {}
    with open("/proc/self/cgroup") as fh:
        for line in fh:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                found[name] = path
    return found


def _mounts() -> dict[str, tuple[str, str]]:
    """{controller or "" for v2: (mount point, root of the mount)} of the cgroup filesystems."""
    found = {}
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            left, _, right = line.partition(" - ")
            fields, (fstype, _, options) = left.split(), right.split()[:3]
            if fstype == "cgroup2":
                found.setdefault("", (fields[4], fields[3]))
            elif fstype == "cgroup":
                for option in options.split(","):
                    found.setdefault(option, (fields[4], fields[3]))
    return found


def _folder(mount: tuple[str, str], path: str) -> str | None:
    point, root = mount
    if root != "/" and not (path + "/").startswith(root.rstrip("/") + "/"):
        return None  # our cgroup is outside what this mount shows
    return os.path.join(point, path[len(root.rstrip("/")):].lstrip("/"))


def _write(path: str, value) -> None:
    with open(path, "w") as fh:
        fh.write(str(value))


def _plan() -> list[tuple[str, dict[str, int]]] | None:
    """Where to make a sandbox's cgroups, and which files set which limit ("memory", "pids")."""
    try:
        own, mounts = _own_cgroups(), _mounts()
    except OSError:
        return None
    if "" in mounts and "" in own:
        base = _folder(mounts[""], own[""])
        try:
            with open(os.path.join(base, "cgroup.subtree_control")) as fh:
                delegated = set(fh.read().split())
        except (OSError, TypeError):
            delegated = set()
        if {"memory", "pids"} <= delegated:
            return [(base, {"memory.max": "memory", "memory.swap.max": 0, "pids.max": "pids"})]
    if all(name in mounts and name in own for name in ("memory", "pids")):
        memory, pids = _folder(mounts["memory"], own["memory"]), _folder(mounts["pids"], own["pids"])
        if memory and pids:
            return [(memory, {"memory.limit_in_bytes": "memory", "memory.memsw.limit_in_bytes": "memory"}),
                    (pids, {"pids.max": "pids"})]
    return None


class SandboxCgroup:
    def __init__(self, folders: list[str]):
        self.folders = folders

    @classmethod
    def create(cls, memory_bytes: int, processes: int) -> SandboxCgroup | None:
        """A fresh cgroup with these limits; None (said once) where this machine has none to give."""
        plan = _plan() if os.getuid() == 0 else None
        if plan is None:
            warn_once("no-cgroup", "sandbox: no cgroup with memory and pids controllers to use; "
                                   "memory and process counts are bounded per process only (rlimits)")
            return None
        values = {"memory": memory_bytes, "pids": processes + WALL_PROCESSES}
        name = f"ag-sandbox-{os.getpid()}-{next(_names)}"
        made = cls([])
        try:
            for base, files in plan:
                folder = os.path.join(base, name)
                os.mkdir(folder)
                made.folders.append(folder)
                for file, value in files.items():
                    if os.path.exists(os.path.join(folder, file)):
                        _write(os.path.join(folder, file), values.get(value, value))
        except OSError as exc:
            made.remove()
            warn_once("cgroup-failed", f"sandbox: could not set up a cgroup ({exc}); "
                                       "memory and process counts are bounded per process only (rlimits)")
            return None
        return made

    def command(self, argv: list[str]) -> list[str]:
        """argv run by a shell that first moves itself into the cgroup, so that every
        process the sandbox ever starts is born inside it."""
        enter = " && ".join(f'echo $$ > "{os.path.join(folder, "cgroup.procs")}"' for folder in self.folders)
        return ["/bin/sh", "-c", f'{enter} && exec "$@"', "sandbox", *argv]

    def enter(self, pid: int) -> None:
        """Move a process that has not yet run anything of the student's into the cgroup
        (a child of the warm pool's template, which is born in the template's)."""
        for folder in self.folders:
            _write(os.path.join(folder, "cgroup.procs"), pid)

    def remove(self) -> None:
        """Remove the cgroup once its processes are gone (a killed process takes a moment)."""
        deadline = time.monotonic() + 2
        for folder in self.folders:
            while True:
                try:
                    os.rmdir(folder)
                    break
                except FileNotFoundError:
                    break
                except OSError as exc:
                    if time.monotonic() > deadline:
                        log.error("sandbox: cgroup %s not removed: %s", folder, exc)
                        break
                    time.sleep(0.01)
        self.folders = []

"""The template ("zygote") process: imports once, then forks one sandbox process per request.

`python -I .../shim/boot.py zygote CONTROL_FD`, inside the same wall as a sandbox process
(bwrap's namespaces over the read-only tree, or the fallback's), as root. It imports
numpy, the shim and the modules main.PRELOAD names, then waits on CONTROL_FD, a unix
socket to the trusted side. Each request carries the three pipe ends of one sandbox (its
requests, its responses, its output) and what is per submission; the template forks, and
the child makes itself a sandbox process of its own before anything of the student's
arrives:

  bubblewrap  new mount, IPC, network (loopback up) and UTS namespaces; a fresh tmpfs of the
              submission's size over the working folder and another over matplotlib's
              configuration folder; a fresh /proc that shows only its own uid's
              processes; a fresh /dev/pts; capabilities lowered to the two the drop needs
  fallback    new IPC and network (loopback up) namespaces; its own working folder on disk
  both        its own session, environment and random seeds; then main.serve: the
              configuration, rlimits, the dedicated uid, the seccomp filter, as always

The template never runs student code and never reads what its children send: it only
forks and reports, on CONTROL_FD, each child's pid (as a pidfd the trusted side can
signal safely) and how it ended. EOF on CONTROL_FD ends it.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import random
import select
import signal
import socket
import struct
import sys

import numpy

from . import main as shim_main

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET = 0x00020000, 0x04000000, 0x08000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000
CAP_SETGID, CAP_SETUID = 6, 7
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
_IFREQ = "16sh22x"
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
MESSAGE_BYTES = 64 * 1024
# A child that could not make itself a sandbox exits with this (sysexits' EX_SOFTWARE).
SETUP_FAILED = 70

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, options: str | None) -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                       ctypes.c_ulong(flags), options.encode() if options else None), f"mount {target}")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _keep_only_the_drop() -> None:
    """Lower this process's capabilities to CAP_SETUID and CAP_SETGID (the drop's), with
    nothing inheritable: the mounts are done, and what setuid() leaves must be nothing."""
    keep = (1 << CAP_SETUID) | (1 << CAP_SETGID)
    data = (_CapData * 2)((keep, keep, 0), (0, 0, 0))
    _check(_libc.capset(ctypes.byref(_CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)), data), "capset")


def _loopback_up() -> None:
    """A new network namespace has its loopback down; bwrap's --unshare-net brings it up."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = struct.unpack(_IFREQ, fcntl.ioctl(sock, SIOCGIFFLAGS, struct.pack(_IFREQ, b"lo", 0)))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack(_IFREQ, b"lo", flags | IFF_UP))


def _own_walls(job: dict, fonts: dict[str, bytes]) -> None:
    """Make this fresh child a sandbox of its own (see the module docstring)."""
    if job["mount"]:
        _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS), "unshare")
        _loopback_up()
        # Nothing mounted here may reach the template or a sibling.
        _mount("none", "/", None, MS_REC | MS_PRIVATE, None)
        _mount("tmpfs", job["workdir"], "tmpfs", MS_NOSUID | MS_NODEV,
               f"size={job['workdir_bytes']},mode=1777")
        _mount("tmpfs", job["mplconfig"], "tmpfs", MS_NOSUID | MS_NODEV,
               f"size={job['mplconfig_bytes']},mode=1777")
        for name, content in fonts.items():
            with open(os.path.join(job["mplconfig"], name), "wb") as fh:
                fh.write(content)
        # The template's PID namespace holds every sibling: this /proc shows only the
        # processes of the uid the child is about to become.
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")
        _mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620")
        _keep_only_the_drop()
    elif os.getuid() == 0:
        _check(_libc.unshare(CLONE_NEWIPC | CLONE_NEWNET), "unshare")
        _loopback_up()
    os.chdir(job["workdir"])  # the new tmpfs, not the template's folder beneath it
    os.environ.clear()
    os.environ.update(job["env"])
    # Forked state is the template's: each submission draws its own numbers.
    random.seed()
    numpy.random.seed()


def _child(job: dict, fds: list[int], control: socket.socket, fonts: dict[str, bytes]) -> None:
    """The forked child, up to main.serve; never returns into the template's loop."""
    code = SETUP_FAILED
    try:
        control.detach()  # its fd is closed below with the others; the object must not close another
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        req_fd, resp_fd, out_fd = fds
        os.dup2(out_fd, 1)
        os.dup2(out_fd, 2)
        for fd in [int(name) for name in os.listdir("/proc/self/fd")]:
            if fd > 2 and fd not in (req_fd, resp_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass
        os.setsid()
        _own_walls(job, fonts)
        code = 0
        shim_main.serve(req_fd, resp_fd, preloaded=True)
    except BaseException as exc:  # noqa: BLE001 - whatever happens, the template's loop stays the template's
        if code == SETUP_FAILED:
            os.write(2, f"sandbox child setup failed: {type(exc).__name__}: {exc}\n".encode(errors="replace"))
    finally:
        os._exit(code)


def _fonts(folder: str) -> dict[str, bytes]:
    """The font list matplotlib reads, copied into each child's fresh configuration folder."""
    found = {}
    try:
        for name in os.listdir(folder):
            with open(os.path.join(folder, name), "rb") as fh:
                found[name] = fh.read()
    except OSError:
        pass
    return found


def run(control_fd: int) -> None:
    shim_main.preload()
    control = socket.socket(fileno=control_fd)
    fonts = _fonts(os.environ.get("MPLCONFIGDIR", ""))
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, int] = {}   # pid -> the trusted side's number for it

    def send(record: dict, fds: list[int] = ()) -> None:
        socket.send_fds(control, [json.dumps(record).encode()], list(fds))

    sys.stdout.flush()
    sys.stderr.flush()
    send({"ready": True})
    while True:
        readable, _, _ = select.select([control, wake_r], [], [])
        if wake_r in readable:
            try:
                while os.read(wake_r, 512):
                    pass
            except BlockingIOError:
                pass
            while children:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                send({"exited": children.pop(pid, -1), "status": status})
        if control in readable:
            raw, fds, _, _ = socket.recv_fds(control, MESSAGE_BYTES, 3)
            if not raw:
                os._exit(0)
            job = json.loads(raw)
            if len(fds) != 3:
                for fd in fds:
                    os.close(fd)
                send({"failed": job.get("id"), "error": "expected three pipe ends"})
                continue
            pid = os.fork()
            if pid == 0:
                _child(job, fds, control, fonts)
            for fd in fds:
                os.close(fd)
            children[pid] = job["id"]
            pidfd = os.pidfd_open(pid)
            try:
                send({"forked": job["id"], "pid": pid}, [pidfd])
            finally:
                os.close(pidfd)

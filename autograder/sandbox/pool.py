"""The warm pool: a template process per layer that forks each sandbox process, warm.

A fresh sandbox process spends most of its start importing (the interpreter about 35 ms,
numpy about 70 ms; bwrap itself about 6 ms). The template (shim/zygote.py) does those
imports once, inside the same wall, and forks a child per start; the child makes its own
namespaces, working folder and random seeds, and from the configuration on it is the
process a fresh start would have made (see shim/zygote.py for what is per child).

The template is never given student code or anything a child sends; it only forks and
reports. Here the trusted side sees it through a unix socket: a fork request carries the
child's three pipe ends and what is per submission, the answer a pidfd of the child (so
a kill never reaches a process that reused its pid), and each child's end arrives as a
wait status. ForkedProcess wraps those in the few methods of Popen the sandbox uses.

Used as root only, where each child drops to its own uid: children of one template share
its PID namespace, and the uid (with a /proc that hides other uids) is what keeps them
apart there. AUTOGRADER_SANDBOX_POOL=off starts every sandbox fresh, as before.
"""

from __future__ import annotations

import atexit
import itertools
import json
import logging
import multiprocessing.util
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from . import isolation, readable

log = logging.getLogger("autograder.sandbox")

ENV_POOL = "AUTOGRADER_SANDBOX_POOL"
# The template's own working folder: each child mounts its own over it.
TEMPLATE_WORKDIR_BYTES = 64 * 1024
READY_SECONDS = 30
MESSAGE_BYTES = 64 * 1024


class PoolUnavailable(Exception):
    """The template could not be started or did not answer; the sandbox starts fresh instead."""


def enabled() -> bool:
    return os.getuid() == 0 and os.environ.get(ENV_POOL, "").strip().lower() != "off"


def _host_pid(pidfd: int) -> int:
    """The pid, as this process sees it, of the process a pidfd refers to."""
    with open(f"/proc/self/fdinfo/{pidfd}") as fh:
        for line in fh:
            if line.startswith("Pid:"):
                pid = int(line.split()[1])
                if pid > 0:
                    return pid
    raise PoolUnavailable("the forked child is already gone")


class ForkedProcess:
    """A child of the template, through the methods of Popen that SandboxProcess uses."""

    def __init__(self, template: Template, number: int, pid: int, pidfd: int):
        self._template, self._number, self.pid, self._pidfd = template, number, pid, pidfd
        self.returncode: int | None = None

    def _ended(self) -> bool:
        status = self._template.status_of(self._number)
        if status is not None:
            self.returncode = os.waitstatus_to_exitcode(status)
        elif self._template.dead:
            self.returncode = -signal.SIGKILL  # its template's namespace took it along
        return self.returncode is not None

    def poll(self) -> int | None:
        if self.returncode is None:
            with self._template.cond:
                self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        with self._template.cond:
            if not self._template.cond.wait_for(self._ended, timeout):
                raise subprocess.TimeoutExpired("sandbox child", timeout)
        return self.returncode

    def kill(self) -> None:
        # Sent even when its template's end already counts it as ended (a fallback child
        # may outlive its template): through the pidfd, a process gone is a no-op, never another's.
        if self._pidfd >= 0:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def release(self) -> None:
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1
        self._template.forget(self._number)


class Template:
    """One template process and the thread that reads what it reports."""

    def __init__(self, layer: str):
        self.layer = layer
        self.dead = False
        self.cond = threading.Condition()
        self._forked: dict[int, tuple[int, int] | str] = {}   # number -> (pid, pidfd) or why not
        self._exited: dict[int, int] = {}                      # number -> wait status
        self._numbers = itertools.count(1)
        self._send_lock = threading.Lock()
        self.root = tempfile.mkdtemp(prefix="ag-template-")
        os.chmod(self.root, 0o711)
        workdir = os.path.join(self.root, "work")
        os.mkdir(workdir, 0o711)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._log_path = os.path.join(self.root, "template.log")
        try:
            cmd = isolation.build_command(layer, self.root, workdir, (theirs.fileno(),), TEMPLATE_WORKDIR_BYTES,
                                          template=True)
            with open(self._log_path, "wb") as out:
                self.popen = subprocess.Popen(
                    cmd.argv, cwd=workdir, env=isolation.environment(cmd.workdir_inside, cmd.mplconfig_inside),
                    stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=(theirs.fileno(),),
                    start_new_session=True, close_fds=True)
        except BaseException:
            ours.close()
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        finally:
            theirs.close()
        self._sock = ours
        ours.settimeout(READY_SECONDS)
        try:
            ready = ours.recv(MESSAGE_BYTES)
        except OSError:
            ready = b""
        if json.loads(ready or b"{}").get("ready") is not True:
            why = self._log_tail()
            self.close()
            raise PoolUnavailable(f"the template did not start: {why}")
        ours.settimeout(None)
        self._reader = threading.Thread(target=self._read, name="sandbox-template", daemon=True)
        self._reader.start()

    def _log_tail(self) -> str:
        try:
            with open(self._log_path, "rb") as fh:
                return fh.read()[-500:].decode(errors="replace").strip() or "no output"
        except OSError:
            return "no output"

    def _read(self) -> None:
        while True:
            try:
                raw, fds, _, _ = socket.recv_fds(self._sock, MESSAGE_BYTES, 1)
            except OSError:
                raw, fds = b"", []
            if not raw:
                with self.cond:
                    self.dead = True
                    self.cond.notify_all()
                return
            record = json.loads(raw)
            with self.cond:
                if "forked" in record and fds:
                    self._forked[record["forked"]] = (record["pid"], fds[0])
                elif "failed" in record:
                    self._forked[record["failed"]] = str(record.get("error"))
                elif "exited" in record:
                    self._exited[record["exited"]] = record["status"]
                self.cond.notify_all()

    def alive(self) -> bool:
        return not self.dead and self.popen.poll() is None

    def status_of(self, number: int) -> int | None:
        return self._exited.get(number)

    def forget(self, number: int) -> None:
        with self.cond:
            self._exited.pop(number, None)

    def fork(self, job: dict, fds: tuple[int, int, int], deadline: float) -> ForkedProcess:
        """A new child with these pipe ends (requests, responses, output); PoolUnavailable if not."""
        number = next(self._numbers)
        try:
            with self._send_lock:
                socket.send_fds(self._sock, [json.dumps({"id": number, **job}).encode()], list(fds))
        except OSError as exc:
            raise PoolUnavailable(f"the template is gone ({exc})") from None
        with self.cond:
            if not self.cond.wait_for(lambda: number in self._forked or self.dead,
                                      max(0.0, deadline - time.monotonic())):
                self.dead = True  # a late child would be nobody's: no more forks from this one
            got = self._forked.pop(number, None)
        if not isinstance(got, tuple):
            raise PoolUnavailable(got or f"the template did not fork ({self._log_tail()})")
        _, pidfd = got
        try:
            return ForkedProcess(self, number, _host_pid(pidfd), pidfd)
        except BaseException:
            os.close(pidfd)
            raise

    def close(self) -> None:
        """End the template; under bubblewrap its PID namespace takes every child along."""
        try:
            # shutdown first: close() alone leaves the socket open while the reader thread
            # sits in recv on it, so the template heard no EOF and was killed after 2 s.
            self._sock.shutdown(socket.SHUT_RDWR)  # EOF: the template exits
        except (AttributeError, OSError):
            pass
        try:
            self._sock.close()
        except AttributeError:
            pass
        try:
            self.popen.wait(timeout=2)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.popen.wait(timeout=5)
        except AttributeError:
            pass
        with self.cond:
            self.dead = True
            for got in self._forked.values():
                if isinstance(got, tuple):
                    os.close(got[1])
            self._forked.clear()
            self.cond.notify_all()
        shutil.rmtree(self.root, ignore_errors=True)


_templates: dict[tuple, Template] = {}
_lock = threading.Lock()


def _shape(layer: str) -> tuple:
    """What a template's wall is built from besides its layer: the tree it shows (and, in
    the fallback, the readable copies its links point to). A change makes a new template."""
    copies = readable.cache_root() if layer == isolation.FALLBACK else ""
    return layer, isolation.SANDBOX_DIR, tuple(isolation.library_paths()), copies


def template(layer: str) -> Template:
    """This process's template for a layer, started on first use and again after it died."""
    shape = _shape(layer)
    with _lock:
        for key in [key for key, found in _templates.items()
                    if key[0] == layer and (key != shape or not found.alive())]:
            _templates.pop(key).close()
        found = _templates.get(shape)
        if found is None:
            found = _templates[shape] = Template(layer)
            # A worker of a multiprocessing pool leaves through os._exit, past atexit (and
            # it empties the finalizers it inherited): its templates would still end, on
            # EOF, but leave their folders behind.
            multiprocessing.util.Finalize(found, found.close, exitpriority=0)
        return found


def shutdown() -> None:
    """End every template of this process (their children with them, under bubblewrap)."""
    with _lock:
        for found in _templates.values():
            found.close()
        _templates.clear()


def _forget_inherited() -> None:
    # A forked worker shares its parent's templates' sockets but not their reader threads:
    # it starts its own templates, and leaves the parent's to the parent.
    global _lock
    for found in _templates.values():
        found._sock.close()  # the child's copy only; the parent's template still hears its parent
    _templates.clear()
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_inherited)
atexit.register(shutdown)

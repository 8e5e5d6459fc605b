"""Capped capture of the student's stdout/stderr.

A thread drains the pipe for as long as anything holds its write end, so a flood never
blocks the child; only the first `cap` bytes are kept.

The child flushes its streams before every reply, so when a reply has arrived, what the
student printed before it is in the pipe, though perhaps not yet in the buffer. `mark` and
`text` therefore settle first: under the lock (which the pump also holds while it reads,
so no chunk is ever in flight between the pipe and the buffer) they read what the pipe
holds. Without that, a mark taken just after a call could fall before what the call
printed, and `forget_since` would drop output that was the student's own.
"""

from __future__ import annotations

import os
import select
import threading

# What one settle reads at most: a child that prints without pause (a thread of its own)
# must not hold the grader in a loop; what it prints later is still kept by the pump.
SETTLE_BYTES = 4 << 20
CHUNK_BYTES = 1 << 16


class OutputBuffer:
    def __init__(self, cap: int):
        self.cap = cap
        self.kept = bytearray()
        self.dropped = 0
        self._lock = threading.Lock()
        self._open: set[int] = set()

    def drain(self, fd: int) -> threading.Thread:
        os.set_blocking(fd, False)
        with self._lock:
            self._open.add(fd)
        thread = threading.Thread(target=self._pump, args=(fd,), name="sandbox-output", daemon=True)
        thread.start()
        return thread

    def _pump(self, fd: int) -> None:
        """The only closer of `fd`, so its number is never reused while this thread waits."""
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        try:
            while True:
                poller.poll()
                with self._lock:
                    if self._read(fd, CHUNK_BYTES) is None:
                        return
        except OSError:
            return
        finally:
            with self._lock:
                self._open.discard(fd)
            os.close(fd)

    def _read(self, fd: int, most: int) -> int | None:
        """Read up to `most` bytes that are already in the pipe (the lock held); how many,
        or None when the pipe is at its end."""
        taken = 0
        while taken < most:
            try:
                chunk = os.read(fd, CHUNK_BYTES)
            except BlockingIOError:
                return taken
            except OSError:
                chunk = b""
            if not chunk:
                return None
            self._keep(chunk)
            taken += len(chunk)
        return taken

    def _keep(self, chunk: bytes) -> None:
        room = self.cap - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))

    def _settle(self) -> None:
        for fd in list(self._open):
            self._read(fd, SETTLE_BYTES)

    def mark(self) -> int:
        with self._lock:
            self._settle()
            return len(self.kept)

    def forget_since(self, mark: int) -> None:
        """Drop what was kept after `mark` (what student code printed while the reference
        was lent to it: it may hold what the reference computed)."""
        with self._lock:
            self._settle()
            del self.kept[mark:]

    def text(self, since: int = 0) -> str:
        with self._lock:
            self._settle()
            text = bytes(self.kept[since:]).decode("utf-8", "replace")
            dropped = self.dropped
        if dropped:
            text += f"\n[... output truncated: {dropped} more bytes dropped]"
        return text

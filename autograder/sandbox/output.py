"""Capped capture of the student's stdout/stderr.

A thread drains the pipe for as long as anything holds its write end, so a flood never
blocks the child; only the first `cap` bytes are kept.
"""

from __future__ import annotations

import os
import threading


class OutputBuffer:
    def __init__(self, cap: int):
        self.cap = cap
        self.kept = bytearray()
        self.dropped = 0
        self._lock = threading.Lock()

    def drain(self, fd: int) -> threading.Thread:
        thread = threading.Thread(target=self._pump, args=(fd,), name="sandbox-output", daemon=True)
        thread.start()
        return thread

    def _pump(self, fd: int) -> None:
        try:
            while True:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    return
                with self._lock:
                    room = self.cap - len(self.kept)
                    if room > 0:
                        self.kept += chunk[:room]
                    self.dropped += max(0, len(chunk) - max(room, 0))
        except OSError:
            return
        finally:
            os.close(fd)

    def mark(self) -> int:
        with self._lock:
            return len(self.kept)

    def forget_since(self, mark: int) -> None:
        """Drop what was kept after `mark` (what student code printed while the reference
        was lent to it: it may hold what the reference computed)."""
        with self._lock:
            del self.kept[mark:]

    def text(self, since: int = 0) -> str:
        with self._lock:
            text = bytes(self.kept[since:]).decode("utf-8", "replace")
            dropped = self.dropped
        if dropped:
            text += f"\n[... output truncated: {dropped} more bytes dropped]"
        return text

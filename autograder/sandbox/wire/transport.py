"""Length-prefixed frames on a pipe pair, with deadlines on the trusted side.

Transport only moves bytes and reports what went wrong as TransportError; turning that
into a grading verdict (time limit, crash) is the sandbox's job.
"""

from __future__ import annotations

import errno
import fcntl
import os
import select
import struct
import time

_LEN = struct.Struct(">I")
DEFAULT_MAX_FRAME = 128 * 1024 * 1024
_CHUNK = 1 << 20
_READ_AHEAD = 1 << 16   # a read asks for this much at least: a whole small frame in one
_F_SETPIPE_SZ = 1031


class TransportError(Exception):
    """Base for framing failures."""


class ChannelClosed(TransportError):
    """The other end closed the pipe (the process exited or closed its fd)."""


class DeadlineExpired(TransportError):
    """No complete frame moved before the deadline."""


class FrameTooLarge(TransportError):
    """A frame declared or offered a size above the cap."""


def widen_pipe(fd: int, size: int = 1 << 20) -> None:
    """Ask for a larger pipe buffer; fewer wake-ups on big arrays. Best effort."""
    try:
        fcntl.fcntl(fd, _F_SETPIPE_SZ, size)
    except OSError:
        pass


def _wait(fd: int, event: int, deadline: float | None) -> None:
    if deadline is None:
        return
    poller = select.poll()
    poller.register(fd, event | select.POLLHUP | select.POLLERR)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExpired("deadline expired")
        if poller.poll(max(1, int(remaining * 1000) + 1)):
            return


def _write_all(fd: int, data: memoryview, deadline: float | None) -> None:
    while data:
        _wait(fd, select.POLLOUT, deadline)
        try:
            written = os.write(fd, data[:_CHUNK])
        except BlockingIOError:
            continue
        except BrokenPipeError:
            raise ChannelClosed("peer closed the channel") from None
        data = data[written:]


def _read_some(fd: int, size: int, deadline: float | None) -> bytes:
    """At least one byte and at most `size`: what the pipe holds now, after waiting for it."""
    while True:
        _wait(fd, select.POLLIN, deadline)
        try:
            chunk = os.read(fd, size)
        except BlockingIOError:
            continue
        except OSError as exc:
            if exc.errno == errno.EINTR:
                continue
            raise ChannelClosed(str(exc)) from None
        if not chunk:
            raise ChannelClosed("end of stream")
        return chunk


class Channel:
    """One read fd and one write fd carrying frames.

    A small frame goes out in one write, its length prefix included, and a read takes
    whatever the pipe holds (the rest of a frame is kept for the next recv): one wake-up
    of the peer per message instead of two, which is most of a round trip's cost.
    """

    def __init__(self, read_fd: int, write_fd: int, max_frame: int = DEFAULT_MAX_FRAME):
        self.read_fd, self.write_fd, self.max_frame = read_fd, write_fd, max_frame
        self._pending = bytearray()   # bytes read past the last frame returned

    def send(self, payload: bytes | bytearray, deadline: float | None = None) -> None:
        if len(payload) > self.max_frame:
            raise FrameTooLarge(f"frame of {len(payload)} bytes exceeds the {self.max_frame}-byte cap")
        head = _LEN.pack(len(payload))
        if len(payload) <= _CHUNK:
            _write_all(self.write_fd, memoryview(head + payload), deadline)
            return
        _write_all(self.write_fd, memoryview(head), deadline)
        _write_all(self.write_fd, memoryview(payload), deadline)

    def recv(self, deadline: float | None = None) -> bytearray:
        self._fill(_LEN.size, deadline)
        size = _LEN.unpack_from(self._pending)[0]
        if size > self.max_frame:
            raise FrameTooLarge(f"peer declared a frame of {size} bytes, cap is {self.max_frame}")
        try:
            self._fill(_LEN.size + size, deadline)
        except ChannelClosed as exc:
            raise ChannelClosed(f"{exc} after {len(self._pending) - _LEN.size} of {size} bytes") from None
        frame = self._pending[_LEN.size:_LEN.size + size]
        del self._pending[:_LEN.size + size]
        return frame

    def _fill(self, size: int, deadline: float | None) -> None:
        # The size comes from the peer: the buffer grows only as bytes actually arrive, so a
        # frame announced at the cap and never sent costs nothing.
        pending = self._pending
        while len(pending) < size:
            pending += _read_some(self.read_fd, min(_CHUNK, max(size - len(pending), _READ_AHEAD)), deadline)

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass

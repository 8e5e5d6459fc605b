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


def _read_exact(fd: int, size: int, deadline: float | None) -> bytearray:
    # The size comes from the peer: the buffer grows only as bytes actually arrive, so a
    # frame announced at the cap and never sent costs nothing.
    buf = bytearray()
    while len(buf) < size:
        _wait(fd, select.POLLIN, deadline)
        try:
            chunk = os.read(fd, min(_CHUNK, size - len(buf)))
        except BlockingIOError:
            continue
        except OSError as exc:
            if exc.errno == errno.EINTR:
                continue
            raise ChannelClosed(str(exc)) from None
        if not chunk:
            raise ChannelClosed(f"end of stream after {len(buf)} of {size} bytes")
        buf += chunk
    return buf


class Channel:
    """One read fd and one write fd carrying frames."""

    def __init__(self, read_fd: int, write_fd: int, max_frame: int = DEFAULT_MAX_FRAME):
        self.read_fd, self.write_fd, self.max_frame = read_fd, write_fd, max_frame

    def send(self, payload: bytes | bytearray, deadline: float | None = None) -> None:
        if len(payload) > self.max_frame:
            raise FrameTooLarge(f"frame of {len(payload)} bytes exceeds the {self.max_frame}-byte cap")
        _write_all(self.write_fd, memoryview(_LEN.pack(len(payload))), deadline)
        _write_all(self.write_fd, memoryview(payload), deadline)

    def recv(self, deadline: float | None = None) -> bytearray:
        size = _LEN.unpack(_read_exact(self.read_fd, 4, deadline))[0]
        if size > self.max_frame:
            raise FrameTooLarge(f"peer declared a frame of {size} bytes, cap is {self.max_frame}")
        return _read_exact(self.read_fd, size, deadline)

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass

"""Read submitted files safely: regular files only, a size check first, then in chunks.

A submission is never read whole to be hashed: a multi-gigabyte upload would fill the
grader's memory before any size check elsewhere. A FIFO in a class folder would block a
plain open() forever, so files are opened non-blocking and checked before reading.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

CHUNK_BYTES = 1 << 20


class FileTooLarge(OSError):
    """The file is over the caller's limit. An OSError, so a caller that already reports
    unreadable files stays safe; catch it first to say "too large" instead."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"{size} bytes, over the limit of {limit}", str(path))
        self.size = size
        self.limit = limit

    def __reduce__(self):
        # Picklable with its own arguments (it may cross a process pool).
        return FileTooLarge, (self.filename, self.size, self.limit)


def open_regular(path: Path) -> BinaryIO:
    """Open `path` for reading if it is a regular file; never blocks on a FIFO or device,
    never follows a symlink (discovery resolves the instructor's own links first)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, read in chunks (so a file that
    grows past its checked size is still cut off); FileTooLarge past `limit`."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        chunks, seen = [], 0
        while chunk := fh.read(CHUNK_BYTES):
            seen += len(chunk)
            if seen > limit:
                raise FileTooLarge(path, seen, limit)
            chunks.append(chunk)
    return b"".join(chunks)


def sha256_of(path: Path, limit: int) -> str:
    """Hex sha256 of a regular file of at most `limit` bytes, read in chunks.

    Raises FileTooLarge past `limit` (checked before reading, and again while reading,
    since a file can grow), OSError when it cannot be read or is not a regular file."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        digest = hashlib.sha256()
        seen = 0
        while chunk := fh.read(CHUNK_BYTES):
            seen += len(chunk)
            if seen > limit:
                raise FileTooLarge(path, seen, limit)
            digest.update(chunk)
    return digest.hexdigest()

"""Bytes on disk to text: refuse what is not text, then find the encoding.

Korean classes still produce notebooks saved as CP949 / EUC-KR by old Windows
editors, and Notepad likes to add a BOM; all of those are read, anything else is
refused with a message the student can act on.
"""

from __future__ import annotations

import logging
from pathlib import Path

from autograder.ingest.model import IngestError
from autograder.feedback import msg

log = logging.getLogger("autograder.ingest")

# A class's notebook with outputs cleared is well under a megabyte; embedded plots
# push some to tens of MB. Past this it is not worth parsing.
MAX_BYTES = 64 << 20

# Leading bytes of files students submit by mistake, and what to call them.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "zip"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "HWP/Office document"),
    (b"\x7fELF", "executable"),
]

# cp949 is a superset of euc-kr, so one attempt covers both.
FALLBACK_ENCODINGS = ("cp949",)


def read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise IngestError("no_notebook", msg("ingest.error.no_notebook", path=path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError("too_large", msg("ingest.error.too_large", size_mb=size >> 20,
                                               limit_mb=MAX_BYTES >> 20))
        return path.read_bytes()
    except OSError as error:
        raise IngestError("unreadable", msg("ingest.error.unreadable", path=path,
                                            reason=error.strerror or type(error).__name__)) from error


def sniff(data: bytes) -> None:
    """Refuse binary files before any decoding guesses at them."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            raise IngestError("unsupported_type", msg("ingest.error.unsupported_type", kind=kind))
    if not data.strip():
        raise IngestError("empty", msg("ingest.error.empty"))


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name as reported)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if b"\x00" in data:
        # No text encoding we accept puts NUL bytes in a notebook or a script.
        raise IngestError("unsupported_type", msg("ingest.error.unsupported_type", kind="binary"))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        log.info("decoded as %s", encoding)
        return text, encoding
    raise IngestError("unknown_encoding", msg("ingest.error.unknown_encoding"))


def _strict(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        raise IngestError("unknown_encoding", msg("ingest.error.unknown_encoding")) from error

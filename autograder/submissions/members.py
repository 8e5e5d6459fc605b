"""What a zip's entries say about themselves, checked before anything is unpacked.

Names decide where a member would land; the unix mode in its attributes says whether it
is a symlink; the end-of-central-directory record says how many entries there are and
how large the directory is (zipfile reads the whole directory into memory on opening).
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
from typing import BinaryIO

from ..feedback import msg

UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"^[A-Za-z]:")

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
_MAX_COMMENT = 0xFFFF


class UnsafeMember(ValueError):
    """A member that must not be unpacked; the archive is refused as a whole. `member` is
    its name as written, `reason` a catalog message (submissions.unsafe.*)."""

    def __init__(self, member: str, reason: str):
        self.member, self.reason = member, msg(f"submissions.unsafe.{reason}")
        super().__init__(f"{member!r}: {reason}")


class NotAZip(ValueError):
    """No end-of-central-directory record: not a zip, or cut off."""


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it.

    Without the UTF-8 flag zipfile decodes names as cp437; Korean Windows tools write
    cp949 there, and some tools write UTF-8 without setting the flag."""
    name = info.orig_filename
    if info.flag_bits & UTF8_FLAG:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def member_parts(name: str) -> tuple[str, ...]:
    """The path components a member would be written to, relative to the archive's folder.

    Refuses what could land outside: absolute paths, drive letters, '..', NUL. Backslashes
    count as separators (Windows tools write them), empty and '.' components are dropped."""
    if "\x00" in name:
        raise UnsafeMember(repr(name), "nul")
    path = name.replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path):
        raise UnsafeMember(repr(name), "absolute")
    parts = tuple(p for p in path.split("/") if p not in ("", "."))
    if ".." in parts:
        raise UnsafeMember(repr(name), "parent")
    return parts


def is_directory(info: zipfile.ZipInfo) -> bool:
    """Whether the member is a folder; refuses symlinks and special files (never followed)."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        raise UnsafeMember(repr(info.orig_filename), "symlink")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeMember(repr(info.orig_filename), "special")
    return info.is_dir() or kind == stat.S_IFDIR


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & ENCRYPTED_FLAG)


def directory_size(fh: BinaryIO) -> tuple[int, int]:
    """(entries, central directory bytes) as the end records declare them.

    Found exactly the way zipfile finds them (the record at the very end, else the last
    signature in the tail; then a zip64 record if a locator precedes it), so the numbers
    checked here are the ones zipfile will act on when it reads the directory."""
    fh.seek(0, 2)
    size = fh.tell()
    if size < _EOCD.size:
        raise NotAZip("too short to be a zip")
    fh.seek(size - _EOCD.size)
    last = fh.read()
    if last.startswith(_EOCD_SIGNATURE) and last.endswith(b"\0\0"):
        eocd_at, record = size - _EOCD.size, last
    else:
        tail_start = max(0, size - _EOCD.size - _MAX_COMMENT - 1)
        fh.seek(tail_start)
        tail = fh.read()
        at = tail.rfind(_EOCD_SIGNATURE)
        record = tail[at:at + _EOCD.size] if at >= 0 else b""
        if len(record) != _EOCD.size:
            raise NotAZip("no end-of-central-directory record")
        eocd_at = tail_start + at
    fields = _EOCD.unpack(record)
    return _zip64_directory_size(fh, eocd_at) or (fields[4], fields[5])


def _zip64_directory_size(fh: BinaryIO, eocd_at: int) -> tuple[int, int] | None:
    locator_at = eocd_at - _ZIP64_LOCATOR.size
    record_at = locator_at - _ZIP64_EOCD.size
    if locator_at < 0:
        return None
    fh.seek(locator_at)
    locator = fh.read(_ZIP64_LOCATOR.size)
    if len(locator) != _ZIP64_LOCATOR.size or _ZIP64_LOCATOR.unpack(locator)[0] != _ZIP64_LOCATOR_SIGNATURE:
        return None
    if record_at < 0:
        return None
    fh.seek(record_at)
    record = fh.read(_ZIP64_EOCD.size)
    if len(record) != _ZIP64_EOCD.size or _ZIP64_EOCD.unpack(record)[0] != _ZIP64_EOCD_SIGNATURE:
        return None
    fields = _ZIP64_EOCD.unpack(record)
    return fields[7], fields[8]

"""Small archives and folders for the discovery tests: built in tmp_path, kilobytes each."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def touch(path: Path, text: str = NOTEBOOK) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def zip_bytes(members: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def make_zip(path: Path, members: dict[str, bytes | str], **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(members, **kwargs))
    return path


def zip_with_symlink(path: Path, link: str, target: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo(link)
        info.create_system = 3  # unix: the mode in external_attr counts
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, target)
        zf.writestr("hw.ipynb", NOTEBOOK)
    return path


def replace_name_bytes(path: Path, placeholder: str, raw: bytes) -> Path:
    """Put bytes zipfile would never write (NUL, cp949 without the UTF-8 flag) in a name."""
    data = path.read_bytes()
    old = placeholder.encode("ascii")
    assert len(old) == len(raw) and data.count(old) == 2  # local header and directory
    path.write_bytes(data.replace(old, raw))
    return path


def set_encrypted_flag(path: Path) -> Path:
    """zipfile cannot write encrypted members; set the flag in every header instead."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def files_under(root: Path) -> set[str]:
    """Every path under `root`, relative, for before/after comparisons."""
    found = set()
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


def bytes_under(root: Path) -> int:
    return sum(os.lstat(os.path.join(folder, name)).st_size
               for folder, _dirs, files in os.walk(root) for name in files)


def unpacked_bytes(scratch: Path) -> int:
    """Bytes in the archives' folders under scratch (refused submissions' empty folders aside)."""
    return sum(bytes_under(p) for p in scratch.glob("archive-*")) if scratch.exists() else 0


def is_inert(path: Path) -> bool:
    """A refused submission's path: an empty folder, so nothing refused can be read."""
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())

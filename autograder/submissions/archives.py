"""Unpack zips for one batch: each once, into its own fresh folder, within one budget.

Every check that can be made before writing is made first (file size, directory size,
entry count, names, types, encryption, declared sizes); then bytes are counted while
they stream, because declared sizes lie. Anything wrong refuses that archive alone, with
a Refusal the caller turns into that student's result; the batch goes on.
"""

from __future__ import annotations

import lzma
import logging
import os
import shutil
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..feedback import msg, render_part
from .hashing import CHUNK_BYTES, FileTooLarge, open_regular, sha256_of
from .members import NotAZip, UnsafeMember, directory_size, is_directory, is_encrypted, member_name, member_parts
from .model import Caps, Refusal

log = logging.getLogger("autograder.submissions")

ARCHIVE_SUFFIXES = (".zip",)
# Members grading can use: always unpacked (within the caps); anything else only if small.
# Discovery reads the same list as what a student hands in as work.
USEFUL_SUFFIXES = (".ipynb", ".py", *ARCHIVE_SUFFIXES)
IGNORED_PARTS = frozenset({".ipynb_checkpoints", "__MACOSX", "__pycache__"})
# What operating systems and editors leave beside a student's files (compared case-
# insensitively): Windows' thumbnail cache and folder settings. Names starting with "."
# (macOS's .DS_Store and ._name AppleDouble forks) and "~$" (Office's lock files) too.
IGNORED_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})
IGNORED_PREFIXES = (".", "~$")
# What zipfile and the decompressors raise on a damaged archive.
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, NotAZip, EOFError, zlib.error,
            lzma.LZMAError, NotImplementedError, RuntimeError, ValueError, OSError)


def is_archive(path: Path) -> bool:
    return path.suffix.lower() in ARCHIVE_SUFFIXES


def ignored(parts: tuple[str, ...]) -> bool:
    """Editor checkpoints, macOS resource forks, OS and Office leftovers, caches and hidden
    files are nobody's work: not a student of a class, not a candidate in a student's folder."""
    return any(part in IGNORED_PARTS or part.startswith(IGNORED_PREFIXES)
               or part.casefold() in IGNORED_NAMES for part in parts)


class ArchiveRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code, render_part(refusal.detail, "en"))
        self.refusal = refusal


@dataclass(frozen=True)
class Unpacked:
    folder: Path
    sha256: str
    # Files left packed (path in the archive, declared bytes): in a class's zip each one
    # in the class's folder is a student, who gets a result saying so instead of vanishing.
    skipped: tuple[tuple[str, int], ...] = ()


@dataclass
class _Plan:
    files: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = field(default_factory=list)
    folders: set[tuple[str, ...]] = field(default_factory=set)
    skipped: list[tuple[tuple[str, ...], int]] = field(default_factory=list)


class Unpacker:
    """One per batch: holds the batch's budget and the archives already unpacked."""

    def __init__(self, scratch: Path, caps: Caps) -> None:
        self.scratch = scratch
        self.caps = caps
        self.budget_left = caps.batch_bytes
        # Keyed by (sha256, whether other files are kept): see `unpack`.
        self._done: dict[tuple[str, bool], Unpacked] = {}
        self._refused: dict[tuple[str, bool], Refusal] = {}

    def unpack(self, archive: Path, name: str, ancestors: tuple[str, ...] = (), *,
               keep_other: bool = True) -> Unpacked:
        """Unpack `archive` (`name` is how messages call it) unless it is one of `ancestors`
        (the sha256 of the archives it was found in). Raises ArchiveRefused.

        `keep_other=False` (one student's upload) writes only notebooks, .py files and
        archives: nothing else of theirs is ever read, so it costs no disk. A class's zip
        keeps small other files too, since a wrong-type upload there is a student of its own."""
        try:
            digest = sha256_of(archive, self.caps.archive_bytes)
        except FileTooLarge as exc:
            raise ArchiveRefused(Refusal("archive_too_large", msg("submissions.detail.size", name=name,
                                                                  size=exc.size))) from None
        except OSError as exc:
            raise ArchiveRefused(Refusal("bad_archive", f"{name}: {describe(exc)}")) from None
        if digest in ancestors:
            raise ArchiveRefused(Refusal("archive_recursive", name))
        key = (digest, keep_other)
        if key in self._done:
            # Byte-identical archives (two students, one file) share one unpacked folder:
            # read-only for everyone after this, and never counted twice.
            return self._done[key]
        if key in self._refused:
            # A hundred copies of one bad archive cost one attempt, not a hundred.
            first = self._refused[key]
            raise ArchiveRefused(Refusal(first.code, msg("submissions.detail.same_bytes", name=name,
                                                         first=first.detail)))
        folder = Path(tempfile.mkdtemp(prefix="archive-", dir=self._scratch()))
        try:
            written, skipped = self._extract(archive, name, folder, keep_other)
        except (ArchiveRefused, *_DAMAGED) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            refusal = exc.refusal if isinstance(exc, ArchiveRefused) else \
                Refusal("bad_archive", f"{name}: {describe(exc)}")
            self._refused[key] = refusal
            raise ArchiveRefused(refusal) from None
        log.info("%s: %d bytes unpacked into %s", name, written, folder)
        self._done[key] = Unpacked(folder, digest, skipped)
        return self._done[key]

    def _scratch(self) -> Path:
        self.scratch.mkdir(parents=True, exist_ok=True)
        return self.scratch

    def _extract(self, archive: Path, name: str, folder: Path,
                 keep_other: bool) -> tuple[int, tuple[tuple[str, int], ...]]:
        with open_regular(archive) as fh:
            entries, directory_bytes = directory_size(fh)
            self._check_directory(name, entries, directory_bytes)
            fh.seek(0)
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
                self._check_directory(name, len(infos), directory_bytes)
                plan = self._plan(name, infos, keep_other)
                # Folders too, even empty ones or ones whose files were left packed: a
                # student folder exists (and gets "no notebook") whatever it held.
                for parts in sorted(plan.folders):
                    folder.joinpath(*parts).mkdir(parents=True, exist_ok=True)
                written = 0
                for info, parts in plan.files:
                    written += self._write(zf, info, parts, folder, name, written)
        # Taken from the budget only once the archive is whole: a refused one (its
        # folder removed) costs the batch nothing.
        self.budget_left -= written
        return written, tuple(("/".join(parts), size) for parts, size in plan.skipped)

    def _check_directory(self, name: str, entries: int, directory_bytes: int) -> None:
        if entries > self.caps.members or directory_bytes > self.caps.directory_bytes:
            raise ArchiveRefused(Refusal("archive_too_many_members", msg(
                "submissions.detail.directory", name=name, entries=entries, size=directory_bytes)))

    def _plan(self, name: str, infos: list[zipfile.ZipInfo],
              keep_other: bool) -> _Plan:
        """The members to write, after checking every member (a bad one refuses the archive)."""
        plan, seen, declared = _Plan(), set(), 0
        for info in infos:
            try:
                parts = member_parts(member_name(info))
                directory = is_directory(info)
            except UnsafeMember as exc:
                raise ArchiveRefused(Refusal("archive_unsafe_member", msg(
                    "submissions.detail.unsafe", name=name, member=exc.member, reason=exc.reason))) from None
            if is_encrypted(info):
                raise ArchiveRefused(Refusal("archive_encrypted", f"{name}: {member_name(info)}"))
            if not parts or ignored(parts):
                continue
            if directory:
                plan.folders.add(parts)
                continue
            if parts in seen:
                raise ArchiveRefused(Refusal("archive_unsafe_member", msg(
                    "submissions.detail.member_twice", name=name, member="/".join(parts))))
            seen.add(parts)
            useful = parts[-1].lower().endswith(USEFUL_SUFFIXES)
            if useful and info.file_size > self.caps.member_bytes:
                raise ArchiveRefused(Refusal("archive_too_large", msg(
                    "submissions.detail.member_size", name=name, member="/".join(parts), size=info.file_size)))
            if not useful and (not keep_other or info.file_size > self.caps.other_member_bytes):
                log.info("%s: %s skipped (%d bytes; grading does not read it)",
                         name, "/".join(parts), info.file_size)
                plan.skipped.append((parts, info.file_size))
                plan.folders.add(parts[:-1])
                continue
            declared += info.file_size
            plan.files.append((info, parts))
        if declared > self.caps.archive_bytes:
            raise ArchiveRefused(Refusal("archive_too_large", msg("submissions.detail.size", name=name,
                                                                      size=declared)))
        if declared > self.budget_left:
            raise ArchiveRefused(Refusal("batch_budget_exhausted", msg(
                "submissions.detail.budget", name=name, size=declared, left=self.budget_left)))
        return plan

    def _write(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, parts: tuple[str, ...],
               folder: Path, name: str, archive_written: int) -> int:
        """Stream one member to disk, counting real bytes against every cap; returns them."""
        member = "/".join(parts)
        # A member may not grow past what it declared, the per-member cap, what is left
        # of this archive's cap, or what is left of the batch's budget.
        caps = [(info.file_size, "archive_unsafe_member",
                 msg("submissions.detail.past_declared", name=name, member=member, size=info.file_size)),
                (self.caps.member_bytes, "archive_too_large",
                 msg("submissions.detail.member_over", name=name, member=member, size=self.caps.member_bytes)),
                (self.caps.archive_bytes - archive_written, "archive_too_large",
                 msg("submissions.detail.archive_over", name=name, size=self.caps.archive_bytes)),
                (self.budget_left - archive_written, "batch_budget_exhausted", f"{name}: {member}")]
        allowed = min(limit for limit, _code, _detail in caps)
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL and O_NOFOLLOW: the folder is fresh and we never make links, but a
        # write never follows or replaces anything, whatever else goes wrong.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        count = 0
        with zf.open(info) as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK_BYTES):
                count += len(chunk)
                if count > allowed:
                    _limit, code, detail = next(c for c in caps if count > c[0])
                    raise ArchiveRefused(Refusal(code, detail))
                out.write(chunk)
        _set_mtime(target, info)
        return count


def describe(exc: BaseException) -> str:
    """An error in a line an instructor can read, without our scratch paths."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _set_mtime(path: Path, info: zipfile.ZipInfo) -> None:
    # "The newest notebook" in a student's archive means the newest by the archive's
    # own dates, not by the order of unpacking.
    try:
        stamp = time.mktime((*info.date_time, 0, 0, -1))
        os.utime(path, (stamp, stamp))
    except (OverflowError, ValueError, OSError):
        pass

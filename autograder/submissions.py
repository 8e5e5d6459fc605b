"""Find the submissions in what the instructor points at: a notebook, a folder, or an LMS zip.

The student id is the file stem (one notebook per student in a flat folder) or the
folder name (one folder per student). Zips are unpacked into a scratch folder first,
with the usual guards (no paths outside the folder, a size cap), then read the same way.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("autograder.submissions")

NOTEBOOK_SUFFIXES = (".ipynb",)
SOURCE_SUFFIXES = (".py",)
# LMS bulk downloads are small; anything past this is not a class's notebooks.
MAX_UNZIPPED_BYTES = 2 << 30
IGNORED_PARTS = {".ipynb_checkpoints", "__MACOSX", "__pycache__"}


class SubmissionPathError(Exception):
    """The path given on the command line is not something we can grade (misuse, exit 2)."""


@dataclass(frozen=True)
class Submission:
    student_id: str
    path: Path


def _ignored(path: Path) -> bool:
    return any(part in IGNORED_PARTS or part.startswith(".") for part in path.parts)


def _student_id(text: str) -> str:
    # Keep Korean names readable; only strip what is unsafe in a folder name.
    cleaned = re.sub(r"[\\/:*?\"<>|\s]+", "_", text).strip("._")
    return cleaned or "submission"


def _gradable_files(folder: Path) -> list[Path]:
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()
             and not _ignored(p.relative_to(folder))]
    notebooks = [p for p in files if p.suffix.lower() in NOTEBOOK_SUFFIXES]
    return notebooks or [p for p in files if p.suffix.lower() in SOURCE_SUFFIXES]


def unpack_zip(archive: Path, into: Path) -> Path:
    """Extract `archive` under `into`, refusing members that escape it or a bomb."""
    target = into / _student_id(archive.stem)
    with zipfile.ZipFile(archive) as zf:
        total = sum(info.file_size for info in zf.infolist())
        if total > MAX_UNZIPPED_BYTES:
            raise SubmissionPathError(f"{archive}: unpacks to {total} bytes, over the cap")
        for info in zf.infolist():
            name = info.filename
            # Korean LMS zips often carry cp437-mangled names; zipfile decodes them as
            # cp437 unless the UTF-8 flag is set, so try cp949 for those.
            if not info.flag_bits & 0x800:
                try:
                    name = name.encode("cp437").decode("cp949")
                except (UnicodeEncodeError, UnicodeDecodeError):
                    pass
            dest = (target / name).resolve()
            if not dest.is_relative_to(target.resolve()):
                raise SubmissionPathError(f"{archive}: member {name!r} points outside the archive")
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(dest, "wb") as out:
                out.write(src.read())
    return target


def discover(paths: list[Path], scratch: Path) -> list[Submission]:
    """Expand command-line paths into submissions, in a stable order, ids made unique."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise SubmissionPathError(f"{path}: no such file or folder")
        if path.is_file() and path.suffix.lower() == ".zip":
            found += _from_folder(unpack_zip(path, scratch), scratch)
        elif path.is_file():
            found.append(Submission(_student_id(path.stem), path))
        else:
            found += _from_folder(path, scratch)
    return _unique_ids(found)


def _from_folder(folder: Path, scratch: Path) -> list[Submission]:
    subs: list[Submission] = []
    for entry in sorted(folder.iterdir()):
        if _ignored(Path(entry.name)):
            continue
        if entry.is_file() and entry.suffix.lower() == ".zip":
            subs += _from_folder(unpack_zip(entry, scratch), scratch)
        elif entry.is_file():
            # A flat folder: every file is one student's submission, even a wrong type
            # (it gets a clear per-submission error instead of vanishing).
            subs.append(Submission(_student_id(entry.stem), entry))
        elif entry.is_dir():
            files = _gradable_files(entry)
            if not files:
                # Still a student: the folder itself goes through, and ingest says
                # "no notebook" in that student's results.
                subs.append(Submission(_student_id(entry.name), entry))
                continue
            if len(files) > 1:
                log.warning("%s: %d notebooks; grading the most recently modified", entry, len(files))
                files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
            subs.append(Submission(_student_id(entry.name), files[0]))
    return subs


def _unique_ids(subs: list[Submission]) -> list[Submission]:
    seen: dict[str, int] = {}
    out = []
    for sub in subs:
        n = seen.get(sub.student_id, 0)
        seen[sub.student_id] = n + 1
        out.append(sub if n == 0 else Submission(f"{sub.student_id}-{n + 1}", sub.path))
    return out

"""Find the submissions in what the instructor points at: notebooks, folders, LMS zips.

In a folder or a zip given on the command line, every file is one student's submission
(id: its stem), every folder one student (id: its name; the newest notebook in it is
graded), and every zip one student's upload (id: its stem; read like a student folder).
A zip below the command line never yields more than its own id, so nothing inside it can
claim another student's. Two entries whose ids collide are all refused, never renamed.
Symbolic links below a command-line path are never followed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .archives import ARCHIVE_SUFFIXES, USEFUL_SUFFIXES, ArchiveRefused, Unpacker, describe, ignored, is_archive
from .ids import collision_key, refused_id, safe_id
from .hashing import FileTooLarge, read_limited
from .lms import GRADESCOPE_METADATA, Identity, gradescope_identities, identify
from .model import Caps, Refusal, Submission, SubmissionPathError
from ..feedback import msg
from ..messages import console_lang, say

log = logging.getLogger("autograder.submissions")

NOTEBOOK_SUFFIXES = (".ipynb",)
SOURCE_SUFFIXES = (".py",)


@dataclass
class _Unit:
    """One entry of a class: a student, before their folder or archive is opened."""

    student_id: str
    path: Path
    name: str                            # how messages call it: under the command-line path
    kind: str                            # "file", "folder", "archive" or "refused"
    depth: int = 0                       # archives opened on the way to it
    ancestors: tuple[str, ...] = ()      # their sha256, so none is opened inside itself
    refusal: Refusal | None = None
    identity: Identity | None = None     # who the LMS says it is, from the entry's name
    superseded: tuple[str, ...] = ()     # the same student's other entries, not graded


class _TooManyFiles(Exception):
    pass


def discover(paths: list[Path], scratch: Path, caps: Caps | None = None) -> list[Submission]:
    """Expand command-line paths into submissions, in a stable order, with unique safe ids.

    Archives unpack under `scratch` only. Raises SubmissionPathError only for a path that
    does not exist; everything else wrong with an entry is that entry's Refusal."""
    unpacker = Unpacker(scratch, caps or Caps())
    units: list[_Unit] = []
    for path in paths:
        if not path.exists():
            raise SubmissionPathError(msg("submissions.no_such_path", path=path))
        units += _from_argument(path, unpacker)
    # Collisions are settled before any student's archive is opened: a refused archive
    # costs the batch's budget nothing.
    submissions = [_resolve(unit, unpacker) for unit in _settle_collisions(units)]
    _check_unique(submissions)
    return submissions


def discover_one(folder: Path, scratch: Path, caps: Caps | None = None,
                 student_id: str = "submission") -> tuple[Submission, tuple[str, ...]]:
    """One student's folder (Gradescope's submission/), read as a student's folder in a
    class is: junk ignored, links never followed, the newest notebook, else the newest .py,
    else the newest archive opened. Returns the submission and the names of the other
    files of the kind it was chosen from (graded is one; the student should know which)."""
    unpacker = Unpacker(scratch, caps or Caps())
    submission = _resolve(_Unit(student_id, folder, "", "folder"), unpacker)
    if submission.refusal or submission.path.is_dir():
        return submission, ()
    chosen = submission.path.suffix.lower()
    others = [f for f in _walk(folder, unpacker.caps.folder_files)
              if f.suffix.lower() == chosen and f != submission.path]
    return submission, tuple(f.relative_to(folder).as_posix() for f in others)


def links_in(folder: Path, limit: int = 200) -> tuple[str, ...]:
    """The symbolic links in one student's folder (relative names, sorted), none followed
    and junk ignored as discover_one ignores it: what an upload held that was passed over
    unread, so the student can be told, not just shown "no notebook"."""
    found: list[str] = []
    try:
        for entry in _entries_under(folder, limit):
            if entry.is_symlink():
                found.append(Path(entry.path).relative_to(folder).as_posix())
    except _TooManyFiles:
        pass   # the links among the first `limit` entries are enough to name
    return tuple(sorted(found))


def _from_argument(path: Path, unpacker: Unpacker) -> list[_Unit]:
    # The instructor's own symlink on the command line is followed; nothing below it is.
    real, name = path.resolve(), str(path)
    if real.is_dir():
        return _without_strays(_class_entries(real, name, 0, ())[1])
    if real.is_file() and is_archive(real):
        # A class in one LMS zip: its entries are students, as in a folder.
        try:
            unpacked = unpacker.unpack(real, name)
        except ArchiveRefused as exc:
            return [_Unit(safe_id(real.stem), real, name, "refused", refusal=exc.refusal)]
        class_folder, units = _class_entries(unpacked.folder, name, 1, (unpacked.sha256,))
        inside = class_folder.relative_to(unpacked.folder)
        for member, size in unpacked.skipped:
            if Path(member).parent != inside:
                continue
            units.append(_Unit(safe_id(Path(member).stem), real, f"{name}/{member}", "refused",
                               refusal=Refusal("skipped_file", msg("submissions.detail.size", name=f"{name}/{member}",
                                                                  size=size))))
        return _without_strays(units)
    if real.is_file():
        return [_Unit(safe_id(real.stem), real, name, "file")]
    return [_Unit(safe_id(real.name), real, name, "refused", refusal=Refusal("not_a_file", name))]


# How many single folders deep a class may sit in what the command line names
# (`export.zip` > `2024-2학기/` > `DL과제_ch03/`).
MAX_WRAPPERS = 3


def _class_entries(folder: Path, name: str, depth: int,
                   ancestors: tuple[str, ...]) -> tuple[Path, list[_Unit]]:
    """The entries of the class in a command-line folder or zip, and the folder they are in.

    An instructor who zips the class's folder hands over a zip whose only entry is that
    folder (beside __MACOSX/ and a README at most). Such a lone folder is entered while it
    looks like a class itself; one student's folder, or an LMS's folder for one student,
    stays that student."""
    units = found = _entries(folder, name, depth, ancestors)
    for _ in range(MAX_WRAPPERS):
        work = [unit for unit in found if not _stray(unit)]
        if len(work) != 1 or work[0].kind != "folder" or work[0].identity is not None:
            break
        found = _entries(work[0].path, work[0].name, depth, ancestors)
        if _looks_like_class(work[0].path):
            log.info("%s: the only folder here; its entries are read as the class", work[0].name)
            return work[0].path, found
    # No class below a lone folder: it is one student's, as it always was.
    return folder, units


def _looks_like_class(folder: Path) -> bool:
    """Whether a folder's entries look like several students rather than one's work: two
    or more notebooks, zips, or folders each holding a notebook or zip. A student's .py
    modules (the book's common/ and dataset/) never count: beside one notebook they are
    that student's helpers."""
    try:
        with os.scandir(folder) as it:
            entries = [entry for entry in it if not ignored((entry.name,))]
    except OSError:
        return False
    count = 0
    for entry in entries:
        suffix = Path(entry.name).suffix.lower()
        if entry.is_file(follow_symlinks=False):
            count += suffix in NOTEBOOK_SUFFIXES or is_archive(Path(entry.name))
        elif entry.is_dir(follow_symlinks=False):
            count += _holds_gradable(Path(entry.path), suffixes=(*NOTEBOOK_SUFFIXES, *ARCHIVE_SUFFIXES))
    return count >= 2


def _entries(folder: Path, name: str, depth: int, ancestors: tuple[str, ...]) -> list[_Unit]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return [_Unit(safe_id(folder.name), folder, name, "refused",
                      refusal=Refusal("unreadable", f"{name}: {describe(exc)}"))]
    units = []
    for entry in entries:
        if ignored((entry.name,)):
            continue
        entry_name = f"{name}/{entry.name}"
        path = Path(entry.path)
        if entry.is_symlink():
            # Not followed even inside the folder: a link to a classmate's notebook would
            # grade that notebook under the link's name.
            student_id = safe_id(entry.name if entry.is_dir() else path.stem)
            units.append(_Unit(student_id, path, entry_name, "refused",
                               refusal=Refusal("symlink", entry_name)))
        elif entry.is_dir(follow_symlinks=False):
            units.append(_Unit(safe_id(entry.name), path, entry_name, "folder", depth, ancestors))
        elif entry.is_file(follow_symlinks=False):
            # A flat folder: every file is one student's submission, even a wrong type
            # (it gets a clear error of its own instead of vanishing).
            kind = "archive" if is_archive(path) else "file"
            units.append(_Unit(safe_id(path.stem), path, entry_name, kind, depth, ancestors))
        else:
            units.append(_Unit(safe_id(path.stem), path, entry_name, "refused",
                               refusal=Refusal("not_a_file", entry_name)))
    if len(units) == 1 and units[0].kind == "folder" and (units[0].path / GRADESCOPE_METADATA).is_file():
        # Gradescope's export zip holds one folder (assignment_<n>_export/) with the class in it.
        return _entries(units[0].path, units[0].name, depth, ancestors)
    return _as_lms_students(units, _gradescope_metadata(folder))


# Entries of a folder that must carry an LMS's names before they are read as its download:
# a plain class folder where a few students happen to name files `kim_2023_1_hw.ipynb`
# keeps its plain ids.
LMS_SHARE = 0.5
# Gradescope's metadata of a class of hundreds is tens of kilobytes.
MAX_METADATA_BYTES = 8 << 20


def _gradescope_metadata(folder: Path) -> dict[str, Identity] | None:
    """The identities Gradescope's export names in this folder's metadata, or None."""
    path = folder / GRADESCOPE_METADATA
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return gradescope_identities(read_limited(path, MAX_METADATA_BYTES).decode("utf-8", "replace"))
    except (OSError, FileTooLarge) as exc:
        log.warning("%s: not read (%s)", path, exc)
        return None


def _as_lms_students(units: list[_Unit], gradescope: dict[str, Identity] | None = None) -> list[_Unit]:
    """In an LMS download, one unit per student: ids from the LMS's names (or Gradescope's
    metadata), and of one student's several entries (a resubmission, extra files) the one
    to grade."""
    if gradescope is not None:
        # The LMS's own file is nobody's submission.
        units = [u for u in units if Path(u.name).name != GRADESCOPE_METADATA]
    for unit in units:
        unit.identity = identify(Path(unit.name).name) or (gradescope or {}).get(Path(unit.name).name)
    found = [unit.identity.lms for unit in units if unit.identity]
    lms = max(set(found), key=found.count) if found else None
    if lms is None or found.count(lms) < LMS_SHARE * len(units):
        for unit in units:
            unit.identity = None
        return units
    students: dict[tuple[str, str], list[_Unit]] = {}
    plain: list[_Unit] = []
    for unit in units:
        if unit.identity and unit.identity.lms == lms:
            students.setdefault(unit.identity.key, []).append(unit)
        else:
            unit.identity = None
            plain.append(unit)
    chosen = []
    for entries in students.values():
        best = min(entries, key=_preference)
        best.student_id = safe_id(best.identity.id_text)
        best.superseded = tuple(unit.name for unit in entries if unit is not best)
        if best.superseded:
            log.info("%s: graded; the same student's %s not graded", best.name, ", ".join(best.superseded))
        chosen.append(best)
    return sorted(chosen + plain, key=lambda unit: unit.name)


def _without_strays(units: list[_Unit]) -> list[_Unit]:
    """A class folder's files that no student hands in as work (README.md, requirements.txt,
    a data set) are left out with one line naming them, not graded as students; an LMS
    download's entry is always its student's (a PDF instead of a notebook gets an error)."""
    kept, strays = [], []
    for unit in units:
        (strays if _stray(unit) else kept).append(unit)
    if strays:
        log.warning("%s", say("submissions.strays_skipped", console_lang(), count=len(strays),
                              names=", ".join(Path(unit.name).name for unit in strays[:20])))
    return kept


def _stray(unit: _Unit) -> bool:
    left_packed = unit.refusal is not None and unit.refusal.code == "skipped_file"
    return (unit.kind == "file" or left_packed) and unit.identity is None and \
        Path(unit.name).suffix.lower() not in USEFUL_SUFFIXES


def _preference(unit: _Unit) -> tuple:
    """What to grade among one student's entries, smallest first: a notebook (or a folder),
    a .py, an archive, anything else; then the LMS's later upload, the newer file."""
    suffix = unit.path.suffix.lower()
    if unit.kind == "refused":
        rank = 9
    elif unit.kind == "folder":
        rank = 0 if _holds_gradable(unit.path) else 3   # Moodle's online-text folder beside the file one
    elif suffix in NOTEBOOK_SUFFIXES:
        rank = 0
    elif suffix in SOURCE_SUFFIXES:
        rank = 1
    else:
        rank = 2 if unit.kind == "archive" else 3
    try:
        mtime = unit.path.stat(follow_symlinks=False).st_mtime
    except OSError:
        mtime = 0.0
    return rank, -unit.identity.upload_order, -mtime, unit.name


def _holds_gradable(folder: Path, limit: int = 200, suffixes: tuple[str, ...] = USEFUL_SUFFIXES) -> bool:
    """Whether a folder holds a notebook, .py or archive (or only `suffixes`) among its
    first `limit` files."""
    try:
        files = _walk(folder, limit)
    except _TooManyFiles:
        return True   # a big folder is looked at properly when it is graded
    return any(f.suffix.lower() in suffixes for f in files)


def _settle_collisions(units: list[_Unit]) -> list[_Unit]:
    """Refuse every party of a collision, each under an id no name can produce.

    No rule can tell the real owner from names alone: the first in sort order, the
    oldest file, or the name that needed no cleaning can each be chosen by whoever
    uploads the second file. Refusing all of them names every file involved, and the
    instructor decides; nobody's result lands under another's id."""
    groups: dict[str, list[_Unit]] = {}
    for unit in units:
        groups.setdefault(collision_key(unit.student_id), []).append(unit)
    for group in groups.values():
        if len(group) < 2:
            continue
        names = ", ".join(unit.name for unit in group)
        for number, unit in enumerate(group, start=1):
            log.warning("%s: student id %s is claimed by %d submissions; refused",
                        unit.name, unit.student_id, len(group))
            unit.refusal = Refusal("id_collision", f"{unit.student_id}: {names}")
            unit.student_id = refused_id(unit.student_id, number)
            unit.kind = "refused"
    return units


def _resolve(unit: _Unit, unpacker: Unpacker) -> Submission:
    if unit.kind == "folder":
        path, origin, refusal = _student(unit.path, unit.name, unit.depth, unit.ancestors, unpacker)
    elif unit.kind == "archive":
        path, origin, refusal = _student_archive(unit.path, unit.name, unit.depth, unit.ancestors, unpacker)
    else:
        path, origin, refusal = unit.path, unit.name, unit.refusal
    if refusal is not None:
        # Fail-safe: a consumer that forgets to check `refusal` finds an empty folder
        # ("no notebook"), never the link, archive or colliding file that was refused.
        path = _inert_folder(unpacker.scratch, unit.student_id)
    return Submission(unit.student_id, path, refusal, origin, unit.identity, unit.superseded)


def _inert_folder(scratch: Path, student_id: str) -> Path:
    folder = scratch / "refused" / student_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_Found = tuple[Path, str, "Refusal | None"]   # what to grade, how messages call it, why not


def _student_archive(archive: Path, name: str, depth: int, ancestors: tuple[str, ...],
                     unpacker: Unpacker) -> _Found:
    """One student's upload as an archive: opened, then read like their folder."""
    if depth >= unpacker.caps.depth:
        return archive, name, Refusal("archive_too_deep", name)
    try:
        unpacked = unpacker.unpack(archive, name, ancestors, keep_other=False)
    except ArchiveRefused as exc:
        return archive, name, exc.refusal
    return _student(unpacked.folder, name, depth + 1, (*ancestors, unpacked.sha256), unpacker)


def _student(folder: Path, name: str, depth: int, ancestors: tuple[str, ...],
             unpacker: Unpacker) -> _Found:
    """The file to grade in one student's folder: the newest notebook, else .py, else
    their newest archive opened; else the folder itself (ingest says "no notebook")."""
    try:
        files = _walk(folder, unpacker.caps.folder_files)
    except _TooManyFiles:
        return folder, name, Refusal("too_many_files", msg("submissions.detail.files_over", name=name,
                                                   count=unpacker.caps.folder_files))
    for suffixes in (NOTEBOOK_SUFFIXES, SOURCE_SUFFIXES):
        candidates = [f for f in files if f.suffix.lower() in suffixes]
        if candidates:
            chosen = _newest(candidates, name)
            return chosen, _below(name, chosen.relative_to(folder)), None
    archives = [f for f in files if is_archive(f)]
    if archives:
        archive = _newest(archives, name)
        return _student_archive(archive, _below(name, archive.relative_to(folder)),
                                depth, ancestors, unpacker)
    return folder, name, None


def _below(name: str, relative: Path) -> str:
    """How messages call a file in a folder they call `name` ("": the folder goes unnamed)."""
    return f"{name}/{relative.as_posix()}" if name else relative.as_posix()


def _walk(folder: Path, limit: int) -> list[Path]:
    """Regular files under `folder`, sorted; links never followed, hidden and cache folders skipped."""
    return sorted(Path(entry.path) for entry in _entries_under(folder, limit) if entry.is_file(follow_symlinks=False))


def _entries_under(folder: Path, limit: int) -> Iterator[os.DirEntry]:
    """Every entry under `folder` (junk skipped, links never followed into); _TooManyFiles
    once more than `limit` have been seen."""
    pending, seen = [folder], 0
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            log.warning("%s: skipped (%s)", current, describe(exc))
            continue
        for entry in entries:
            if ignored((entry.name,)):
                continue
            seen += 1
            if seen > limit:
                raise _TooManyFiles
            yield entry
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))


def _newest(files: list[Path], name: str) -> Path:
    if len(files) == 1:
        return files[0]
    log.warning("%s: %d candidates; grading the most recently modified", name, len(files))

    def mtime(path: Path) -> float:
        try:
            return path.stat(follow_symlinks=False).st_mtime
        except OSError:
            return 0.0

    # Ties broken by path, so the same folder always grades the same file.
    return min(files, key=lambda p: (-mtime(p), str(p)))


def _check_unique(submissions: list[Submission]) -> None:
    keys = [collision_key(sub.student_id) for sub in submissions]
    if len(set(keys)) != len(keys):
        # Settled above by construction; reaching this is our bug, not the class's.
        raise RuntimeError("discover produced duplicate student ids")

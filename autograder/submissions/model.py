"""What discovery hands the pipeline: one Submission per student, graded or refused.

A refused submission still reaches the output as a result of its own (the pipeline turns
its Refusal into an error result), so nobody vanishes from a class's report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..feedback import Message, Part, msg
from ..messages import SaidError
from .lms import Identity
from ..text import clip, one_line

# Details end up in feedback, the dashboard and the terminal: short, one line.
DETAIL_CHARS = 300


class SubmissionPathError(SaidError):
    """A path given on the command line does not exist: misuse (exit 2), nothing else."""


@dataclass(frozen=True)
class Refusal:
    """Why a submission is not graded. `code` is short and stable (a message key's tail)."""

    code: str
    detail: Part | str = ""   # a name, or a message saying what about it (submissions.detail.*)

    def __post_init__(self) -> None:
        # Details quote names an attacker chose (zip members, file names): clean them once here.
        object.__setattr__(self, "detail", _bounded(self.detail))

    @property
    def key(self) -> str:
        return f"submissions.{self.code}"

    def message(self) -> Message:
        """What a student or instructor reads, said by an edge in its language."""
        return msg(self.key, detail=self.detail)


def _bounded(detail):
    """Each text in a detail on one short line, inside a message as well as alone."""
    if isinstance(detail, str):
        return clip(one_line(detail), DETAIL_CHARS)
    if isinstance(detail, Message):
        return Message(detail.key, tuple((name, _bounded(value)) for name, value in detail.fields))
    return detail


@dataclass(frozen=True)
class Submission:
    """One student's submission. `student_id` is unique in a batch and safe as one folder name.

    `origin` is where it came from as the instructor would name it ("class/bulk.zip/kim/
    hw.ipynb"; `path` may be in a scratch folder deleted after the run). A refused
    submission's `path` is an empty folder, so nothing refused is read by mistake."""

    student_id: str
    path: Path
    refusal: Refusal | None = None
    origin: str = ""
    identity: Identity | None = None       # from an LMS download's names, when it is one
    superseded: tuple[str, ...] = ()       # the same student's other entries, not graded


@dataclass(frozen=True)
class Caps:
    """Limits on what one batch unpacks and walks. Tests pass small ones."""

    # Everything one run unpacks from archives, all archives together.
    batch_bytes: int = 2 << 30
    # One archive: its own file, and what it unpacks to.
    archive_bytes: int = 1 << 30
    # One member grading can use (a notebook, a .py, an archive); ingest reads up to 64 MiB.
    member_bytes: int = 256 << 20
    # Any other member (data sets, images) is skipped past this: grading never reads it.
    other_member_bytes: int = 8 << 20
    # Entries of one archive, and the size of its central directory (read before opening,
    # so a million tiny entries cannot fill memory).
    members: int = 10_000
    directory_bytes: int = 4 << 20
    # Archives opened on the way from a command-line path to a notebook: an LMS zip of
    # per-student zips needs two.
    depth: int = 2
    # Files walked in one student's folder before giving up.
    folder_files: int = 10_000

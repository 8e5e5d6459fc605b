"""The result of grading one submission, typed: what every stage after grading reads.

The pipeline builds a `GradingResult`; the gradebook stores it and gives it back; the
writers (results.json, feedback, summary CSV, dashboard, terminal summary) only read it.
Its one serialised form is the store's (autograder/store: lossless, versioned, every
message kept as a key and its fields); results.json is an export rendered from it in
one language, like every page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .feedback import Part
from .grading.outcome import TestOutcome
from .ingest.model import IngestReport
from .grading.score import Score
from .ingest.sources import ItemSource
from .submissions.lms import Identity
from .text import path_text


class RunStatus(str, enum.Enum):
    GRADED = "graded"        # the hidden suite ran; the score is what the code earned
    ERROR = "error"          # the submission could not be graded; `error` says why


class ErrorCode(str, enum.Enum):
    """Why a submission could not be graded; stable strings for CSVs and LMS exports."""
    # the file
    NO_NOTEBOOK = "no_notebook"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    UNKNOWN_ENCODING = "unknown_encoding"
    INVALID_JSON = "invalid_json"
    TRUNCATED = "truncated"
    NOT_A_NOTEBOOK = "not_a_notebook"
    EMPTY = "empty"
    TOO_DEEP = "too_deep"
    TOO_MANY_VALUES = "too_many_values"
    TOO_MANY_CELLS = "too_many_cells"
    # the upload, refused before reading (see submissions.Refusal)
    ID_COLLISION = "id_collision"
    BAD_ARCHIVE = "bad_archive"
    ARCHIVE_ENCRYPTED = "archive_encrypted"
    ARCHIVE_UNSAFE_MEMBER = "archive_unsafe_member"
    ARCHIVE_TOO_LARGE = "archive_too_large"
    ARCHIVE_TOO_MANY_MEMBERS = "archive_too_many_members"
    ARCHIVE_TOO_DEEP = "archive_too_deep"
    ARCHIVE_RECURSIVE = "archive_recursive"
    BATCH_BUDGET_EXHAUSTED = "batch_budget_exhausted"
    SYMLINK = "symlink"
    NOT_A_FILE = "not_a_file"
    TOO_MANY_FILES = "too_many_files"
    SKIPPED_FILE = "skipped_file"
    # which assignment
    UNKNOWN_ASSIGNMENT = "unknown_assignment"
    NO_ASSIGNMENT_MATCH = "no_assignment_match"
    AMBIGUOUS_ASSIGNMENT = "ambiguous_assignment"
    ASSIGNMENT_CHANGED = "assignment_changed"
    # the grader
    INTERNAL_ERROR = "internal_error"
    WORKER_CRASHED = "worker_crashed"

    @classmethod
    def parse(cls, value: str) -> ErrorCode:
        """A stored code; one this version does not know is kept readable as internal."""
        try:
            return cls(value)
        except ValueError:
            return cls.INTERNAL_ERROR


@dataclass(frozen=True)
class RunError:
    code: ErrorCode
    message: Part            # for the student, rendered in the course's language at an edge
    traceback: str = ""      # ours, for the instructor (internal errors only)


@dataclass(frozen=True)
class Provenance:
    """Which bytes were graded, as whom, against what, by which grader."""
    student_id: str
    source: str
    sha256: str
    grader_version: str
    assignment_id: str | None = None
    assignment_version: str | None = None
    identity: Identity | None = None          # who the LMS download says this is
    superseded: tuple[str, ...] = ()          # that student's other entries, not graded

    def __post_init__(self) -> None:
        # A name read from disk may hold bytes that were not UTF-8 (surrogate-escaped); the
        # gradebook, results.json and every page must be able to store it (text.path_text).
        for name in ("student_id", "source"):
            object.__setattr__(self, name, path_text(getattr(self, name)))


@dataclass(frozen=True)
class Timings:
    """Seconds this submission itself cost, per stage (never time spent waiting in a queue)."""
    ingest: float = 0.0           # read, decode, parse, choose the assignment
    sandbox_start: float = 0.0    # the sandbox process up to "ready"
    load: float = 0.0             # the student's definitions run in the sandbox
    suite: float = 0.0            # the hidden suite
    report: float = 0.0           # scoring and building this result

    @property
    def total(self) -> float:
        return self.ingest + self.sandbox_start + self.load + self.suite + self.report


@dataclass(frozen=True)
class BlockError:
    """A top-level block of the student's module that failed while loading."""
    label: str
    exc_type: str
    message: str
    line: int | None


@dataclass(frozen=True)
class LoadSummary:
    ok: bool
    timed_out: bool = False
    crashed: bool = False
    duration: float = 0.0
    block_errors: tuple[BlockError, ...] = ()


@dataclass(frozen=True)
class ImportFailure:
    """An import the notebook makes that failed inside the sandbox."""
    label: str
    line: str
    statement: str
    error: str


@dataclass
class GradingResult:
    provenance: Provenance
    status: RunStatus
    error: RunError | None = None
    score: Score | None = None
    outcomes: list[TestOutcome] = field(default_factory=list)
    ingest: IngestReport | None = None                       # what ingest saw in the notebook
    load: LoadSummary | None = None
    import_errors: list[ImportFailure] = field(default_factory=list)
    notes: dict[str, Part] = field(default_factory=dict)     # item -> how it was found
    isolation: str = ""
    seed: int | None = None
    output: str = ""                                         # what the student's code printed (capped)
    timings: Timings = field(default_factory=Timings)
    reused_run: int | None = None                            # gradebook run whose result this repeats
    # item -> the student's code graded for it (report/sources.py): shown, compared
    item_sources: dict[str, ItemSource] = field(default_factory=dict)
    # The notebook names or looks like another chapter than the one it was graded as.
    chapter_note: Part | None = None

    @property
    def graded(self) -> bool:
        return self.status is RunStatus.GRADED

    @property
    def student_id(self) -> str:
        return self.provenance.student_id

    @property
    def points(self) -> float:
        return self.score.points if self.score else 0.0

    @property
    def max_points(self) -> float | None:
        return self.score.max_points if self.score else None

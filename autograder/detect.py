"""Which assignment is this notebook for? The flag, else the notebook's metadata, else the names.

Published notebooks carry metadata["dlfs"]["assignment"]. A notebook without it (a student
started from a blank one) is matched by the share of each assignment's graded items it
defines, under book names or aliases. Too close a race is an error naming the candidates:
guessing wrong would grade a whole notebook against the wrong suite.
"""

from __future__ import annotations

import re

from .assignment import Assignment, UnknownAssignment, list_assignments, load_assignment
from .feedback import Message, msg
from .messages import SaidError
from .result import ErrorCode

# What an assignment id or chapter folder name looks like; anything else in metadata is refused.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
# Best match must beat the runner-up by this share of items, or we ask the instructor.
MIN_LEAD = 0.15
# ...unless the latest chapter among the near rivals has at least this share of its items.
LATER_CHAPTER_SHARE = 0.6


class AssignmentChoiceError(SaidError):
    """No assignment can be chosen for this notebook: `code` and `message` become its result."""

    def __init__(self, code: ErrorCode, message: Message):
        self.code = code
        super().__init__(message)


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


class _Match:
    """How much of one assignment a notebook defines, under book names or aliases."""

    def __init__(self, assignment: Assignment, defined: set[str]):
        self.assignment = assignment
        self.hits = sum(1 for item in assignment.items if item in defined
                        or any(a in defined for a in assignment.aliases.get(item, ())))
        self.share = self.hits / len(assignment.items) if assignment.items else 0.0


def choose_assignment(chosen: Assignment | None, metadata: dict, definitions: dict) -> Assignment:
    """The instructor's choice, else the id the notebook's metadata names, else the best match.

    Metadata can only name a known assignment id: it is the student's file, so a path or
    anything but a short string there is refused, never followed."""
    if chosen is not None:
        return chosen
    dlfs = metadata.get("dlfs") if isinstance(metadata, dict) else None
    wanted = dlfs.get("assignment") if isinstance(dlfs, dict) else None
    if wanted is not None:
        if not isinstance(wanted, str) or not _ID.fullmatch(wanted):
            raise AssignmentChoiceError(ErrorCode.UNKNOWN_ASSIGNMENT, msg(
                "assignment.unknown", name=_clip(repr(wanted)),
                known=", ".join(a.id for a in list_assignments())))
        try:
            return load_assignment(wanted)
        except UnknownAssignment as exc:
            raise AssignmentChoiceError(ErrorCode.UNKNOWN_ASSIGNMENT, exc.message) from None
    return _by_definitions(definitions)


def named_assignment(metadata: dict, known: list[Assignment]) -> str | None:
    """The id of the assignment in `known` the notebook's metadata names (by id or chapter
    folder, as load_assignment takes it), else None; a batch asks this of every notebook."""
    dlfs = metadata.get("dlfs") if isinstance(metadata, dict) else None
    wanted = dlfs.get("assignment") if isinstance(dlfs, dict) else None
    if not isinstance(wanted, str) or not _ID.fullmatch(wanted):
        return None
    return next((a.id for a in known if wanted in (a.id, a.config_path and a.config_path.parent.name)), None)


def detected_assignment(definitions: dict, known: list[Assignment]) -> str | None:
    """The assignment in `known` the notebook's definitions alone decide, else None (no
    graded name, or a race too close to call)."""
    try:
        return _by_definitions(definitions, known).id
    except AssignmentChoiceError:
        return None


def _by_definitions(definitions: dict, known: list[Assignment] | None = None) -> Assignment:
    defined = {name for name, d in definitions.items() if d.kind != "import"}
    ranked = sorted((_Match(a, defined) for a in (list_assignments() if known is None else known)),
                    key=lambda m: (m.share, m.hits), reverse=True)
    if not ranked or ranked[0].hits == 0:
        raise AssignmentChoiceError(ErrorCode.NO_ASSIGNMENT_MATCH, msg("detect.no_match"))
    best = ranked[0]
    close = [m for m in ranked if best.share - m.share < MIN_LEAD]
    # A later chapter's notebook carries the earlier chapters' items it builds on (ch07's
    # network needs ch05's layers), never the other way round: a near tie goes to the
    # latest chapter in it, when that one is mostly there.
    latest = max(close, key=lambda m: m.assignment.id)
    if len(close) > 1 and latest.share >= LATER_CHAPTER_SHARE:
        close = [latest]
    if len(close) > 1:
        names = ", ".join(f"{m.assignment.id} ({m.share:.0%})" for m in close)
        raise AssignmentChoiceError(ErrorCode.AMBIGUOUS_ASSIGNMENT, msg("detect.ambiguous", matches=names))
    return close[0].assignment

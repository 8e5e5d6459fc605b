"""The stages after grading, each fault-isolated: one student's odd result costs that
student a note, never the batch, and never a later batch into the same folder.

A result is graded once but then passes through many writers (the gradebook, its
results.json and pages, history, similarity, the dashboard, summary.csv, the exports),
any of which a student's text or code can surprise: a file name that was not UTF-8, an
integer literal too long to print, a nesting deep enough to hit the recursion limit.
Before, such a failure came after every result was written and ended the run with no
dashboard and no exports; since the gradebook keeps that student, every later run into
the folder failed the same way. Here each failure is logged and kept as a `StageFault`,
which the batch shows in the dashboard.

Per-student stages run through `Faults.student`. Class-level stages (they take every
result) run through `Faults.klass`: when the whole call raises, each result is tried on
its own, an offender is tried again stripped of what the student wrote (`neutral`), and
dropped only if even that fails; the stage then runs once more on what is left, so its
file is still written.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .feedback import Part, Verbatim
from .result import GradingResult
from .text import clip, one_line

log = logging.getLogger("autograder.batch")

T = TypeVar("T")
DETAIL_CHARS = 300


@dataclass(frozen=True)
class StageFault:
    """A stage that failed for one student ("" for the class as a whole)."""
    stage: str             # gradebook, results, history, similarity, dashboard, summary, exports
    student_id: str
    detail: str            # the exception, one line, for the instructor
    kept: str              # what the student still got: "neutralised", "dropped", "skipped"


def neutral(result: GradingResult) -> GradingResult:
    """The result with everything the student's code or text produced removed: the
    provenance, status, error and score stay, so a grade is never lost with the details."""
    prov = result.provenance
    error = result.error and dataclasses.replace(result.error, message=_plain(result.error.message),
                                                 traceback="")
    return dataclasses.replace(result, provenance=dataclasses.replace(prov, source=one_line(prov.source)),
                               error=error, outcomes=[], ingest=None, load=None, import_errors=[],
                               notes={}, output="", item_sources={})


def _plain(message: Part) -> Part:
    """A catalog message as it is (its fields are bounded where it is made); stored prose
    (an older run's) clipped to one short line."""
    if isinstance(message, Verbatim):
        return Verbatim(one_line(clip(message.text, 500)))
    return message


def _describe(exc: BaseException) -> str:
    return clip(one_line(f"{type(exc).__name__}: {exc}"), DETAIL_CHARS)


@dataclass
class Faults:
    items: list[StageFault] = field(default_factory=list)

    def note(self, stage: str, student_id: str, exc: BaseException, kept: str) -> None:
        fault = StageFault(stage, one_line(student_id), _describe(exc), kept)
        self.items.append(fault)
        # The traceback is for us; the dashboard shows the one line.
        log.error("%s failed for %s (%s): %s", stage, fault.student_id or "the class", kept,
                  fault.detail, exc_info=exc)

    def student(self, stage: str, student_id: str, fn: Callable[[], T], default: T = None) -> T:
        """fn(), or `default` with a note when it raises."""
        try:
            return fn()
        except Exception as exc:
            self.note(stage, student_id, exc, "skipped")
            return default

    def klass(self, stage: str, fn: Callable[[list[GradingResult]], T],
              results: list[GradingResult], default: T) -> T:
        """fn(results); when it raises, fn on the results that pass alone (an offender
        neutralised, else dropped), and `default` only if even that fails."""
        try:
            return fn(results)
        except Exception:
            pass
        kept = []
        for result in results:
            try:
                fn([result])
                kept.append(result)
                continue
            except Exception as exc:
                first = exc
            stripped = neutral(result)
            try:
                fn([stripped])
                kept.append(stripped)
                self.note(stage, result.student_id, first, "neutralised")
            except Exception:
                self.note(stage, result.student_id, first, "dropped")
        try:
            return fn(kept)
        except Exception as exc:
            # Only students together fail (none alone): the stage is skipped for the class.
            self.note(stage, "", exc, "skipped")
            return default

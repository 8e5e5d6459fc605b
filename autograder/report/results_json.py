"""results.json, an export: Gradescope's schema, in one language, from a GradingResult.

The file a student's folder holds and what Gradescope reads: every sentence rendered in
the course's language (--lang, else the assignment's [report] lang, else Korean), every
text the student's code produced clipped. Nothing reads it back to grade: the gradebook
keeps the result itself (store/codec.py), from which this file can be written again in
either language. Gradescope knows only "passed"/"failed" per test; our finer outcome
(error, missing) rides in each test's extra_data, our provenance under "dlfs".
"""

from __future__ import annotations

import dataclasses

from ..grading.outcome import TestStatus, TestOutcome
from ..result import GradingResult
from ..store import dumps
from ..text import clip
from .visibility import visibility_of
from ..messages import DEFAULT_LANG
from ..summary import summary_text
from .words import said, test_text


# Caps on text that can carry what a student's code produced, so results.json stays well
# under 1 MB whatever the submission does (a suite has a few dozen tests; a message that
# teaches fits in a few lines; the sandbox already caps captured output).
MAX_TEST_TEXT = 4000
MAX_OUTPUT = 64 * 1024
MAX_TRACEBACK = 16 * 1024

__all__ = ["MAX_OUTPUT", "MAX_TEST_TEXT", "MAX_TRACEBACK", "dumps", "to_dict"]


def _test_entry(number: int, outcome: TestOutcome, visibility: str, lang: str) -> dict:
    text = clip(test_text(outcome, lang), MAX_TEST_TEXT)
    hint = clip(said(outcome.hint, lang), MAX_TEST_TEXT)
    return {
        "number": str(number),
        "name": clip(said(outcome.title, lang), MAX_TEST_TEXT),
        "score": outcome.points,
        "max_score": outcome.max_points,
        "status": "passed" if outcome.status is TestStatus.PASSED else "failed",
        # Gradescope shows `output`: why it failed, then the hint.
        "output": "\n\n".join(t for t in (text, hint) if t),
        "tags": [outcome.item],
        "visibility": visibility,
        "extra_data": {"outcome": outcome.status.value, "test_id": outcome.test_id,
                       "duration": round(outcome.duration, 4)},
    }


def to_dict(result: GradingResult, visibility: dict[str, str] | None = None,
            lang: str = DEFAULT_LANG) -> dict:
    """results.json's document in `lang`; `visibility`: the assignment's [visibility]
    rules (see report/visibility.py)."""
    prov = result.provenance
    dlfs: dict = {"student_id": prov.student_id, "source": prov.source, "sha256": prov.sha256,
                  "grader_version": prov.grader_version, "assignment_id": prov.assignment_id,
                  "assignment_version": prov.assignment_version, "status": result.status.value,
                  "lang": lang}
    if prov.identity:
        dlfs["identity"] = dataclasses.asdict(prov.identity)
    if prov.superseded:
        dlfs["superseded"] = list(prov.superseded)
    if result.error:
        dlfs["error"] = {"code": result.error.code.value,
                         "message": clip(said(result.error.message, lang), MAX_TEST_TEXT)}
        if result.error.traceback:
            dlfs["error"]["traceback"] = clip(result.error.traceback, MAX_TRACEBACK)
    if result.ingest:
        dlfs["ingest"] = dict(result.ingest.to_dict(),
                              warnings=[clip(said(w, lang), MAX_TEST_TEXT) for w in result.ingest.warnings])
    if result.graded:
        dlfs.update(isolation=result.isolation, seed=result.seed,
                    notes={item: clip(said(note, lang), MAX_TEST_TEXT) for item, note in result.notes.items()})
    if result.load:
        dlfs["load"] = {"ok": result.load.ok, "timed_out": result.load.timed_out,
                        "crashed": result.load.crashed, "duration": round(result.load.duration, 3),
                        "block_errors": [[e.label, e.exc_type, e.message, e.line]
                                         for e in result.load.block_errors]}
    if result.graded:
        dlfs["import_errors"] = [[f.label, f.line, f.statement, f.error] for f in result.import_errors]
    dlfs["timings"] = {name: round(getattr(result.timings, name), 4)
                       for name in ("ingest", "sandbox_start", "load", "suite", "report")}
    if result.score is not None:
        dlfs["max_score"] = result.score.max_points
        dlfs["items"] = [{"item": s.item, "score": s.points, "max_score": s.max_points,
                          "passed": s.passed, "tests": s.tests, "status": s.status.value}
                         for s in result.score.items]
    if result.reused_run is not None:
        dlfs["reused_run"] = result.reused_run
    if result.chapter_note:
        dlfs["chapter_note"] = clip(said(result.chapter_note, lang), MAX_TEST_TEXT)
    return {
        "score": result.points,
        "execution_time": round(result.timings.total, 3),
        "output": clip(summary_text(result, lang), MAX_OUTPUT),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [_test_entry(i, o, visibility_of(o, visibility), lang)
                  for i, o in enumerate(result.outcomes, start=1)],
        "dlfs": dlfs,
    }

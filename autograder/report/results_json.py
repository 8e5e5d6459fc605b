"""results.json: Gradescope's schema with our provenance under "dlfs", to and from a GradingResult.

This is the one serialised form of a result: the file a student's folder holds, the
document the gradebook stores, and what an earlier run is read back from. Gradescope
knows only "passed"/"failed" per test; our finer outcome (error, missing) rides in each
test's extra_data so nothing is lost for our own reports.
"""

from __future__ import annotations

import dataclasses
import json

from ..grading.outcome import TestStatus, TestOutcome
from ..text import clip
from .visibility import visibility_of
from .sources import MAX_ITEM_SOURCE, ItemSource
from ..grading.score import ItemScore, ItemStatus, Score
from ..ingest.model import IngestReport
from ..submissions.lms import Identity
from ..result import (BlockError, ErrorCode, GradingResult, ImportFailure, LoadSummary, Provenance,
                      RunError, RunStatus, Timings)


# Caps on text that can carry what a student's code produced, so results.json stays well
# under 1 MB whatever the submission does (a suite has a few dozen tests; a message that
# teaches fits in a few lines; the sandbox already caps captured output).
MAX_TEST_TEXT = 4000
MAX_OUTPUT = 64 * 1024
MAX_TRACEBACK = 16 * 1024


def dumps(data: dict, indent: int | None = None) -> str:
    """JSON text that UTF-8 can hold: Korean stays readable, and a lone surrogate (a notebook
    may carry "\\ud800" in its JSON; a file name its undecodable bytes) is escaped as \\uXXXX,
    so writing it to a file or the gradebook never raises."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, indent=indent)
    return text


def _test_entry(number: int, outcome: TestOutcome, visibility: str = "visible") -> dict:
    outcome = dataclasses.replace(outcome, message=clip(outcome.message, MAX_TEST_TEXT),
                                  hint=clip(outcome.hint, MAX_TEST_TEXT))
    output = outcome.message
    if outcome.hint:
        output = f"{output}\n\n{outcome.hint}" if output else outcome.hint
    return {
        "number": str(number),
        "name": outcome.name,
        "score": outcome.points,
        "max_score": outcome.max_points,
        "status": "passed" if outcome.status is TestStatus.PASSED else "failed",
        "output": output,
        "tags": [outcome.item],
        "visibility": visibility,
        # Gradescope shows `output` (message and hint together); our own reports show the
        # hint apart, so it is kept on its own here too.
        "extra_data": {"outcome": outcome.status.value, "test_id": outcome.test_id,
                       "message": outcome.message, "hint": outcome.hint,
                       "duration": round(outcome.duration, 4)},
    }


def _outcome(entry: dict) -> TestOutcome:
    extra = entry.get("extra_data", {})
    return TestOutcome(test_id=extra.get("test_id", entry.get("number", "")), name=entry["name"],
                       item=(entry.get("tags") or [""])[0], max_points=float(entry["max_score"]),
                       status=TestStatus(extra.get("outcome", entry["status"])),
                       message=extra.get("message", entry.get("output", "")),
                       hint=extra.get("hint", ""), duration=float(extra.get("duration", 0.0)))


def to_dict(result: GradingResult, visibility: dict[str, str] | None = None) -> dict:
    """`visibility`: the assignment's [visibility] rules (see report/visibility.py)."""
    prov = result.provenance
    dlfs: dict = {"student_id": prov.student_id, "source": prov.source, "sha256": prov.sha256,
                  "grader_version": prov.grader_version, "assignment_id": prov.assignment_id,
                  "assignment_version": prov.assignment_version, "status": result.status.value}
    if prov.identity:
        dlfs["identity"] = dataclasses.asdict(prov.identity)
    if prov.superseded:
        dlfs["superseded"] = list(prov.superseded)
    if result.error:
        dlfs["error"] = {"code": result.error.code.value,
                         "message": clip(result.error.message, MAX_TEST_TEXT)}
        if result.error.traceback:
            dlfs["error"]["traceback"] = clip(result.error.traceback, MAX_TRACEBACK)
    if result.ingest:
        dlfs["ingest"] = result.ingest.to_dict()
    if result.graded:
        dlfs.update(isolation=result.isolation, seed=result.seed, notes=dict(result.notes))
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
        dlfs["chapter_note"] = clip(result.chapter_note, MAX_TEST_TEXT)
    if result.item_sources:
        dlfs["item_sources"] = {item: {"cell": s.cell, "line": s.line,
                                       "code": clip(s.code, MAX_ITEM_SOURCE)}
                                for item, s in result.item_sources.items()}
    return {
        "score": result.points,
        "execution_time": round(result.timings.total, 3),
        "output": clip(result.output, MAX_OUTPUT),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [_test_entry(i, o, visibility_of(o, visibility))
                  for i, o in enumerate(result.outcomes, start=1)],
        "dlfs": dlfs,
    }


def _identity(data) -> Identity | None:
    if not isinstance(data, dict):
        return None
    fields = {f.name for f in dataclasses.fields(Identity)}
    return Identity(**{key: value for key, value in data.items() if key in fields})


def from_dict(data: dict) -> GradingResult:
    """The inverse of to_dict; also reads results written before timings were kept."""
    dlfs = data["dlfs"]
    error = dlfs.get("error")
    ingest = dlfs.get("ingest")
    load = dlfs.get("load")
    score = None
    if "items" in dlfs:
        score = Score(float(data.get("score") or 0.0), float(dlfs.get("max_score") or 0.0), tuple(
            ItemScore(i["item"], float(i["score"]), float(i["max_score"]), int(i["passed"]),
                      int(i["tests"]), ItemStatus(i["status"])) for i in dlfs["items"]))
    timings = dlfs.get("timings") or {}
    return GradingResult(
        provenance=Provenance(dlfs["student_id"], dlfs.get("source", ""), dlfs["sha256"],
                              dlfs["grader_version"], dlfs.get("assignment_id"),
                              dlfs.get("assignment_version"), _identity(dlfs.get("identity")),
                              tuple(map(str, dlfs.get("superseded") or ()))),
        status=RunStatus(dlfs["status"]),
        error=RunError(ErrorCode.parse(error["code"]), error.get("message", ""),
                       error.get("traceback", "")) if error else None,
        score=score,
        outcomes=[_outcome(t) for t in data.get("tests", [])],
        ingest=IngestReport.from_dict(ingest) if ingest else None,
        load=LoadSummary(load["ok"], load.get("timed_out", False), load.get("crashed", False),
                         float(load.get("duration", 0.0)),
                         tuple(BlockError(*e) for e in load.get("block_errors", []))) if load else None,
        import_errors=[ImportFailure(*f) for f in dlfs.get("import_errors", [])],
        notes=dict(dlfs.get("notes") or {}),
        isolation=dlfs.get("isolation", ""),
        seed=dlfs.get("seed"),
        output=data.get("output", ""),
        # Results written before per-stage timings have none: zeros, never a made-up split.
        timings=Timings(**{k: float(v) for k, v in timings.items() if k in Timings.__annotations__}),
        reused_run=dlfs.get("reused_run"),
        chapter_note=str(dlfs.get("chapter_note") or ""),
        item_sources={item: ItemSource(int(s["cell"]), int(s["line"]), str(s["code"]))
                      for item, s in (dlfs.get("item_sources") or {}).items()},
    )

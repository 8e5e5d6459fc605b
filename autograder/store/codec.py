"""A GradingResult as JSON and back, losslessly: what the gradebook stores.

One serialised form, versioned by its "format" number. Every message stays a catalog key
with its fields (feedback.Message.to_data), so a stored run renders later in either
language; nothing is clipped here (clipping is for the edges that hand text on: a
page, results.json). A document without "format" is a run stored by an earlier version:
results.json's shape, its sentences already said in both languages; it still loads, its
sentences as Verbatim, so it renders as it was written.
"""

from __future__ import annotations

import dataclasses
import json

from ..feedback import Feedback, Verbatim
from ..feedback.message import part_from_data
from ..grading.outcome import TestOutcome, TestStatus
from ..grading.score import ItemScore, ItemStatus, Score
from ..ingest.model import IngestReport
from ..ingest.sources import ItemSource
from ..messages import CATALOG, render
from ..result import (BlockError, ErrorCode, GradingResult, ImportFailure, LoadSummary, Provenance,
                      RunError, RunStatus, Timings)
from ..submissions.lms import Identity

FORMAT = 2          # 1: results.json's shape with prose (read by `_legacy`); 2: this module's


def dumps(data, indent: int | None = None) -> str:
    """JSON text that UTF-8 can hold: Korean stays readable, and a lone surrogate (a notebook
    may carry "\\ud800" in its JSON; a file name its undecodable bytes) is escaped as \\uXXXX,
    so writing it to a file or the gradebook never raises."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, indent=indent)
    return text


def encode(result: GradingResult) -> str:
    return dumps(to_data(result))


def decode(text: str) -> GradingResult:
    return from_data(json.loads(text))


def _part(value) -> dict | None:
    """A part's data; a plain string (prose a stage should have made a part) is stored as
    the Verbatim it is, so a grade is never lost to it."""
    if isinstance(value, str):
        return Verbatim(value).to_data()
    return None if value is None else value.to_data()


def _outcome_data(o: TestOutcome) -> dict:
    return {"test_id": o.test_id, "title": _part(o.title), "item": o.item,
            "max_points": o.max_points, "status": o.status.value,
            "feedback": o.feedback.to_data() if o.feedback else None, "hint": _part(o.hint),
            "notes": [_part(n) for n in o.notes], "duration": o.duration, "tags": list(o.tags)}


def _ingest_data(report: IngestReport) -> dict:
    data = report.to_dict()
    data["warnings"] = [_part(w) for w in report.warnings]
    return data


def to_data(result: GradingResult) -> dict:
    prov = result.provenance
    score = result.score
    load = result.load
    return {
        "format": FORMAT,
        "provenance": {"student_id": prov.student_id, "source": prov.source, "sha256": prov.sha256,
                       "grader_version": prov.grader_version, "assignment_id": prov.assignment_id,
                       "assignment_version": prov.assignment_version,
                       "identity": dataclasses.asdict(prov.identity) if prov.identity else None,
                       "superseded": list(prov.superseded)},
        "status": result.status.value,
        "error": {"code": result.error.code.value, "message": _part(result.error.message),
                  "traceback": result.error.traceback} if result.error else None,
        "score": {"points": score.points, "max_points": score.max_points,
                  "items": [dataclasses.asdict(i) | {"status": i.status.value} for i in score.items]}
        if score else None,
        "outcomes": [_outcome_data(o) for o in result.outcomes],
        "ingest": _ingest_data(result.ingest) if result.ingest else None,
        "load": {"ok": load.ok, "timed_out": load.timed_out, "crashed": load.crashed,
                 "duration": load.duration,
                 "block_errors": [dataclasses.asdict(e) for e in load.block_errors]} if load else None,
        "import_errors": [dataclasses.asdict(f) for f in result.import_errors],
        "notes": {item: _part(note) for item, note in result.notes.items()},
        "isolation": result.isolation,
        "seed": result.seed,
        "output": result.output,
        "timings": dataclasses.asdict(result.timings),
        "reused_run": result.reused_run,
        "item_sources": {item: dataclasses.asdict(s) for item, s in result.item_sources.items()},
        "chapter_note": _part(result.chapter_note),
    }


def from_data(data: dict) -> GradingResult:
    """`to_data` read back typed; a document of an earlier version read as it was written."""
    if "format" not in data:
        return _legacy(data)
    if data["format"] > FORMAT:
        raise ValueError(f"stored result has format {data['format']}, newer than this grader's {FORMAT}")
    prov = data["provenance"]
    error, score, load = data.get("error"), data.get("score"), data.get("load")
    return GradingResult(
        provenance=Provenance(prov["student_id"], prov["source"], prov["sha256"], prov["grader_version"],
                              prov.get("assignment_id"), prov.get("assignment_version"),
                              _identity(prov.get("identity")), tuple(prov.get("superseded") or ())),
        status=RunStatus(data["status"]),
        error=RunError(ErrorCode.parse(error["code"]), part_from_data(error["message"]),
                       error.get("traceback", "")) if error else None,
        score=_score(score["points"], score["max_points"], score["items"]) if score else None,
        outcomes=[_outcome(o) for o in data.get("outcomes", [])],
        ingest=_ingest(data["ingest"]) if data.get("ingest") else None,
        load=LoadSummary(load["ok"], load["timed_out"], load["crashed"], float(load["duration"]),
                         tuple(BlockError(e["label"], e["exc_type"], e["message"], e["line"])
                               for e in load["block_errors"])) if load else None,
        import_errors=[ImportFailure(f["label"], f["line"], f["statement"], f["error"])
                       for f in data.get("import_errors", [])],
        notes={item: part_from_data(note) for item, note in (data.get("notes") or {}).items()},
        isolation=data.get("isolation", ""),
        seed=data.get("seed"),
        output=data.get("output", ""),
        timings=_timings(data.get("timings")),
        reused_run=data.get("reused_run"),
        item_sources=_sources(data.get("item_sources")),
        chapter_note=part_from_data(data["chapter_note"]) if data.get("chapter_note") else None,
    )


def _outcome(data: dict) -> TestOutcome:
    return TestOutcome(test_id=data["test_id"], title=part_from_data(data["title"]), item=data["item"],
                       max_points=float(data["max_points"]), status=TestStatus(data["status"]),
                       feedback=Feedback.from_data(data["feedback"]) if data.get("feedback") else None,
                       hint=part_from_data(data["hint"]) if data.get("hint") else None,
                       notes=tuple(part_from_data(n) for n in data.get("notes", ())),
                       duration=float(data.get("duration", 0.0)), tags=list(data.get("tags", [])))


def _score(points, max_points, items) -> Score:
    return Score(float(points or 0.0), float(max_points or 0.0), tuple(
        ItemScore(i["item"], float(i["points"] if "points" in i else i["score"]),
                  float(i["max_points"] if "max_points" in i else i["max_score"]),
                  int(i["passed"]), int(i["tests"]), ItemStatus(i["status"])) for i in items))


def _ingest(data: dict) -> IngestReport:
    report = IngestReport.from_dict(data)
    report.warnings = [part_from_data(w) for w in data.get("warnings", [])]
    return report


def _timings(data) -> Timings:
    # Results written before per-stage timings have none: zeros, never a made-up split.
    return Timings(**{k: float(v) for k, v in (data or {}).items() if k in Timings.__annotations__})


def _sources(data) -> dict[str, ItemSource]:
    return {item: ItemSource(int(s["cell"]), int(s["line"]), str(s["code"]))
            for item, s in (data or {}).items()}


def _identity(data) -> Identity | None:
    if not isinstance(data, dict):
        return None
    fields = {f.name for f in dataclasses.fields(Identity)}
    return Identity(**{key: value for key, value in data.items() if key in fields})


# --- runs stored by earlier versions ------------------------------------------------------

def _both(key: str, **fields) -> str:
    """A sentence as earlier versions stored it: Korean and English joined by " / "."""
    entry = CATALOG.get(key)
    if entry is None:
        return ""
    ko, en = render(entry["ko"], fields), render(entry["en"], fields)
    return ko if ko == en else f"{ko} / {en}"


def _printed(output: str, score: Score | None, error: str | None) -> str:
    """What the student's code printed, out of an earlier version's output, which put the
    score line, failed blocks and an "output follows" line before it, or was the error of
    a result not graded (the summary is now said at the edge, from the score, the load and
    the error). The lines are found by equality with what that version wrote, never by
    pattern: output not of that shape is kept whole."""
    if error is not None and output == error:
        return ""
    lines = output.split("\n")
    follows = _both("report.student_output_follows")
    if follows and follows in lines:
        return "\n".join(lines[lines.index(follows) + 1:])
    if score is not None and lines[0] == _both("report.score_line", points=f"{score.points:g}",
                                               max_points=f"{score.max_points:g}"):
        return ""          # a summary and nothing the code printed
    return output


def _legacy_outcome(entry: dict) -> TestOutcome:
    extra = entry.get("extra_data", {})
    status = TestStatus(extra.get("outcome", entry["status"]))
    message = extra.get("message", entry.get("output", "")) or ""
    hint = extra.get("hint", "") or ""
    passed = status is TestStatus.PASSED
    return TestOutcome(
        test_id=extra.get("test_id", entry.get("number", "")), title=Verbatim(entry.get("name", "")),
        item=(entry.get("tags") or [""])[0], max_points=float(entry["max_score"]), status=status,
        feedback=None if passed else Feedback.from_data(message),
        # An earlier run's hint is prose: read back as Verbatim, rendered as written.
        hint=Verbatim(hint) if hint else None,
        notes=(Verbatim(message),) if passed and message else (),
        duration=float(extra.get("duration", 0.0)))


def _legacy(data: dict) -> GradingResult:
    """A results.json-shaped document (format 1): every sentence in it becomes Verbatim."""
    dlfs = data["dlfs"]
    error, load = dlfs.get("error"), dlfs.get("load")
    score = _score(data.get("score"), dlfs.get("max_score"), dlfs["items"]) if "items" in dlfs else None
    return GradingResult(
        provenance=Provenance(dlfs["student_id"], dlfs.get("source", ""), dlfs["sha256"],
                              dlfs["grader_version"], dlfs.get("assignment_id"),
                              dlfs.get("assignment_version"), _identity(dlfs.get("identity")),
                              tuple(map(str, dlfs.get("superseded") or ()))),
        status=RunStatus(dlfs["status"]),
        error=RunError(ErrorCode.parse(error["code"]), Verbatim(error.get("message", "")),
                       error.get("traceback", "")) if error else None,
        score=score,
        outcomes=[_legacy_outcome(t) for t in data.get("tests", [])],
        ingest=_ingest(dlfs["ingest"]) if dlfs.get("ingest") else None,
        load=LoadSummary(load["ok"], load.get("timed_out", False), load.get("crashed", False),
                         float(load.get("duration", 0.0)),
                         tuple(BlockError(*e) for e in load.get("block_errors", []))) if load else None,
        import_errors=[ImportFailure(*f) for f in dlfs.get("import_errors", [])],
        notes={item: Verbatim(note) for item, note in (dlfs.get("notes") or {}).items() if note},
        isolation=dlfs.get("isolation", ""),
        seed=dlfs.get("seed"),
        output=_printed(data.get("output", ""), score, error.get("message", "") if error else None),
        timings=_timings(dlfs.get("timings")),
        reused_run=dlfs.get("reused_run"),
        chapter_note=Verbatim(dlfs["chapter_note"]) if dlfs.get("chapter_note") else None,
        item_sources=_sources(dlfs.get("item_sources")),
    )


__all__ = ["FORMAT", "decode", "dumps", "encode", "from_data", "to_data"]


"""Turn GradingResults into the plain, already-formatted data the templates loop over."""

from __future__ import annotations

from ..grading.outcome import Status
from ..grading.score import ItemStatus
from ..messages import say
from ..result import ErrorCode, GradingResult
from ..text import one_line

STATUS_MARK = {Status.PASSED: "PASS", Status.FAILED: "FAIL", Status.ERROR: "ERROR",
               Status.MISSING: "MISSING"}


def number(x) -> str:
    return f"{x:g}" if x is not None else "-"


def percent(score, max_score) -> str:
    return f"{100 * score / max_score:.0f}%" if max_score else "-"


def submission_view(result: GradingResult) -> dict:
    tests_by_item: dict[str, list[dict]] = {}
    for outcome in result.outcomes:
        tests_by_item.setdefault(outcome.item, []).append({
            "name": outcome.name, "mark": STATUS_MARK[outcome.status],
            "passed": outcome.status is Status.PASSED, "score": number(outcome.points),
            "max_score": number(outcome.max_points), "output": outcome.message,
            "hint": outcome.hint})
    items = []
    for i in (result.score.items if result.score else ()):
        tests = tests_by_item.get(i.item, [])
        accepted = [t["output"] for t in tests if t["passed"] and t["output"]]
        note = "\n".join(n for n in dict.fromkeys([result.notes.get(i.item, ""), *accepted]) if n)
        items.append({"item": i.item, "score": number(i.points), "max_score": number(i.max_points),
                      "status": i.status.value, "full": i.status is ItemStatus.FULL,
                      "note": note, "tests": tests,
                      # Every test of a missing item says the same thing: say it once.
                      "missing_message": tests[0]["output"] if tests and i.status is ItemStatus.MISSING
                      else ""})
    ingest = result.ingest
    return {
        "student_id": result.student_id,
        "assignment": result.provenance.assignment_id or "-",
        "graded": result.graded,
        "error": result.error.message if result.error else "",
        "score": number(result.points),
        "max_score": number(result.max_points),
        "percent": percent(result.points, result.max_points),
        "items": items,
        "block_errors": [say("report.block_failed", label=e.label, line=e.line, error=f"{e.exc_type}: {e.message}")
                         for e in (result.load.block_errors if result.load else ())],
        # Ingest's warnings already say every cell it left out (syntax errors included).
        "warnings": list(ingest.warnings) if ingest else [],
        "import_errors": [say("report.import_failed", label=f.label, line=f.line,
                              statement=f.statement, error=f.error) for f in result.import_errors],
        "skipped": say("report.skipped", count=ingest.skipped_total,
                       kinds=", ".join(f"{k} {n}" for k, n in ingest.skipped.items()))
        if ingest and ingest.skipped_total else "",
        "sha256": result.provenance.sha256[:12],
        "grader_version": result.provenance.grader_version,
        "isolation": result.isolation or "-",
    }


def batch_rows(results: list[GradingResult]) -> list[dict]:
    """One row per submission for the terminal summary and the dashboard (plain text only)."""
    rows = []
    for result in results:
        problem = result.error.code.value if result.error else ", ".join(
            i.item for i in (result.score.items if result.score else ()) if i.status is not ItemStatus.FULL)
        rows.append({
            "student_id": one_line(result.student_id),
            "assignment": one_line(result.provenance.assignment_id or "-"),
            "score": number(result.points) if result.graded else "-",
            "max_score": number(result.max_points),
            "percent": percent(result.points, result.max_points),
            "status": result.status.value + (" (cached)" if result.reused_run is not None else ""),
            "problem": problem,
        })
    return rows


def dashboard_view(results: list[GradingResult], students_dir: str) -> dict:
    """Class-level figures per assignment and item, from each student's latest result."""
    by_assignment: dict[str, list[GradingResult]] = {}
    for result in results:
        if result.graded and result.score:
            by_assignment.setdefault(result.provenance.assignment_id, []).append(result)
    assignments = []
    for assignment_id, graded in sorted(by_assignment.items()):
        per_item: dict[str, list] = {}
        for result in graded:
            for item in result.score.items:
                per_item.setdefault(item.item, []).append(item)
        items = []
        for name, entries in per_item.items():
            share = sum(e.points for e in entries) / max(1e-9, sum(e.max_points for e in entries))
            items.append({"name": name,
                          "full": f"{sum(e.status is ItemStatus.FULL for e in entries)} / {len(entries)}",
                          "mean": f"{100 * share:.0f}%", "bar": round(200 * share)})
        scores = sorted(r.points for r in graded)
        assignments.append({
            "id": assignment_id, "items": items,
            "stats": say("report.dashboard_stats", count=len(graded), max_score=number(graded[0].max_points),
                         mean=f"{sum(scores) / len(scores):.1f}",
                         median=number(scores[len(scores) // 2]))})
    students = [dict(row, link=f"{students_dir}/{result.student_id}/feedback.html")
                for row, result in zip(batch_rows(results), results)]
    errors = sum(1 for r in results if not r.graded)
    return {"assignments": assignments, "students": students,
            "summary": say("report.dashboard_summary", total=len(results), errors=errors),
            "identical": [say("batch.identical", students=g) for g in identical_groups(results)]}


def identical_groups(results: list[GradingResult]) -> list[str]:
    """Students whose files have the same bytes, one "a, b, c" line per group.

    Worth an instructor's look (copied work, or the blank template handed in); an empty
    folder's placeholder hash is not a file and is left out.
    """
    by_sha: dict[str, list[str]] = {}
    for result in results:
        code = result.error.code if result.error else None
        if code not in (ErrorCode.NO_NOTEBOOK, ErrorCode.UNREADABLE):
            by_sha.setdefault(result.provenance.sha256, []).append(one_line(result.student_id))
    return [", ".join(sorted(ids)) for ids in by_sha.values() if len(ids) > 1]

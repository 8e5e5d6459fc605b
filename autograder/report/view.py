"""Turn GradingResults into the plain, already-formatted data the templates loop over."""

from __future__ import annotations

from ..grading.score import ItemStatus
from ..messages import say
from ..result import ErrorCode, GradingResult
from ..text import one_line
from .page import number, percent


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

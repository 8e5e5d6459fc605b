"""Turn GradingResults into the plain, already-formatted data the templates loop over."""

from __future__ import annotations

import hashlib

from ..grading.score import ItemStatus
from ..result import GradingResult
from ..text import one_line

NOTHING_READ = hashlib.sha256(b"").hexdigest()
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


def identical_groups(results: list[GradingResult]) -> list[str]:
    """Students whose files have the same bytes, one "a, b, c" line per group.

    Worth an instructor's look (copied work, or the blank template handed in); an empty
    folder's placeholder hash is not a file and is left out.
    """
    by_sha: dict[str, list[str]] = {}
    for result in results:
        # A submission refused before it was read (a collision, a bad archive, an empty
        # folder) carries the hash of nothing: equal hashes there say nothing of the files.
        if result.provenance.sha256 != NOTHING_READ:
            by_sha.setdefault(result.provenance.sha256, []).append(one_line(result.student_id))
    # One student's file graded for two assignments (one folder, two chapters) is not a pair.
    return [", ".join(sorted(set(ids))) for ids in by_sha.values() if len(set(ids)) > 1]

"""A student's runs over time, from the gradebook: every regrade kept and shown, none replaced."""

from __future__ import annotations

import time

from ..text import one_line
from .page import number


# The columns Gradebook.history selects, in its order.
HISTORY_COLUMNS = ("id", "graded_at", "sha256", "assignment_id", "status", "score", "max_score",
                   "reused_run")


def history_rows(rows) -> list[dict]:
    """Gradebook.history rows as plain data, oldest first."""
    out = []
    for row in rows:
        r = dict(zip(HISTORY_COLUMNS, row))
        out.append({"run": r["id"], "when": time.strftime("%Y-%m-%d %H:%M", time.localtime(r["graded_at"])),
                    "assignment": one_line(r["assignment_id"] or "-"), "status": r["status"],
                    "score": f"{number(r['score'])} / {number(r['max_score'])}"
                    if r["status"] == "graded" else "-",
                    "sha256": r["sha256"][:12],
                    "reused": f"#{r['reused_run']}" if r["reused_run"] is not None else ""})
    return out


def history_text(student: str, rows: list[dict]) -> str:
    """The terminal listing of `python -m autograder history STUDENT`."""
    lines = [f"{one_line(student)}: {len(rows)} run(s)"]
    for r in rows:
        reused = f" (reuses run {r['reused']})" if r["reused"] else ""
        lines.append(f"  #{r['run']}  {r['when']}  {r['assignment']}  {r['status']}  "
                     f"{r['score']}  sha256 {r['sha256']}{reused}")
    return "\n".join(lines)

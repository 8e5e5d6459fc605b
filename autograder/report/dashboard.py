"""The instructor's class dashboard as plain data: what the class got, and where it stuck.

Per assignment: a students × items matrix, the score distribution (an inline SVG
histogram, drawn from numbers computed here), every test's failure rate, worst first,
with one student's message as an example; then the submissions that could not be graded,
ran out of time or crashed, and what each submission cost to grade. Nothing loads from
the network: the page opens offline.
"""

from __future__ import annotations

from ..grading.outcome import TestStatus
from ..grading.score import ItemStatus
from ..messages import say
from ..result import GradingResult
from ..text import clip, one_line
from .page import number, percent
from .view import batch_rows, identical_groups
from .words import said, test_text

BINS = 10                  # histogram bars: 0–10 %, …, 90–100 %
HIST_W, HIST_H = 320, 120  # the SVG's own units; it scales to the page's width
EXAMPLE_CHARS = 300


def histogram(shares: list[float]) -> dict:
    """Bars for the share of points each student got (a share of 1.0 goes in the last bin)."""
    counts = [0] * BINS
    for share in shares:
        counts[min(BINS - 1, max(0, int(share * BINS)))] += 1
    top = max(counts) or 1
    width = HIST_W / BINS
    bars = [{"x": round(i * width + 1, 1), "w": round(width - 2, 1),
             "h": round(HIST_H * c / top, 1), "y": round(HIST_H - HIST_H * c / top, 1),
             "count": c, "range": f"{100 * i // BINS}–{100 * (i + 1) // BINS}%"}
            for i, c in enumerate(counts)]
    return {"bars": bars, "width": HIST_W, "height": HIST_H}


def _link(students_dir: str, result: GradingResult) -> str:
    return f"{students_dir}/{result.student_id}/feedback.html"


def failure_rates(graded: list[GradingResult], students_dir: str, lang: str) -> list[dict]:
    """Each test's share of students who did not pass it, the highest first."""
    tests: dict[str, dict] = {}
    for result in graded:
        for o in result.outcomes:
            entry = tests.setdefault(o.test_id, {"name": said(o.title, lang), "item": o.item,
                                                 "failed": 0, "total": 0, "example": "", "link": ""})
            entry["total"] += 1
            if o.status is not TestStatus.PASSED:
                entry["failed"] += 1
                if not entry["example"]:
                    entry["example"] = clip(said(o.hint, lang) or test_text(o, lang), EXAMPLE_CHARS)
                    entry["link"] = _link(students_dir, result)
                    entry["example_student"] = one_line(result.student_id)
    rows = [dict(e, rate=percent(e["failed"], e["total"]), bar=round(120 * e["failed"] / e["total"]))
            for e in tests.values() if e["failed"]]
    return sorted(rows, key=lambda e: (-e["failed"] / e["total"], e["item"], e["name"]))


def _matrix(graded: list[GradingResult], students_dir: str) -> dict:
    items = list(dict.fromkeys(i.item for r in graded for i in r.score.items))
    rows = []
    for result in sorted(graded, key=lambda r: r.student_id):
        cells = {i.item: i for i in result.score.items}
        rows.append({"student_id": one_line(result.student_id), "link": _link(students_dir, result),
                     "total": number(result.points),
                     "cells": [{"text": f"{number(cells[i].points)}" if i in cells else "-",
                                "status": cells[i].status.value if i in cells else "missing"}
                               for i in items]})
    return {"items": items, "rows": rows}


def _per_item(graded: list[GradingResult]) -> list[dict]:
    per_item: dict[str, list] = {}
    for result in graded:
        for item in result.score.items:
            per_item.setdefault(item.item, []).append(item)
    out = []
    for name, entries in per_item.items():
        share = sum(e.points for e in entries) / max(1e-9, sum(e.max_points for e in entries))
        out.append({"name": name,
                    "full": f"{sum(e.status is ItemStatus.FULL for e in entries)} / {len(entries)}",
                    "mean": f"{100 * share:.0f}%", "bar": round(200 * share)})
    return out


def _problem(result: GradingResult, lang: str) -> str:
    # A notebook graded as another chapter than it names is worth a look, graded or not.
    note = clip(one_line(said(result.chapter_note, lang)), 300)
    return " — ".join(p for p in (_trouble(result, lang), note) if p)


def _trouble(result: GradingResult, lang: str) -> str:
    if result.error:
        return f"{result.error.code.value}: {clip(one_line(said(result.error.message, lang)), 200)}"
    if result.load and result.load.timed_out:
        return say("report.load_timed_out", lang=lang)
    if result.load and result.load.crashed:
        return say("report.load_crashed", lang=lang)
    return ""


def _faults(faults, lang: str) -> list[dict]:
    """poststage.StageFault entries as rows: who, which stage, what they still got, why."""
    return [{"student_id": one_line(f.student_id) or "-", "stage": f.stage,
             "kept": say(f"report.fault_kept.{f.kept}", lang=lang), "detail": clip(one_line(f.detail), 300)}
            for f in faults or ()]


def _roster(roster: tuple[list[str], list[str]] | None, lang: str) -> list[str]:
    """roster.Roster.mismatches as sentences: graded students the roster lacks, and roster
    rows nobody's result matched (either leaves an LMS grade empty)."""
    missing, unused = roster or ([], [])
    lines = []
    if missing:
        lines.append(say("report.roster_missing", lang=lang, count=len(missing),
                         students=clip(", ".join(one_line(s) for s in missing), 2000)))
    if unused:
        lines.append(say("report.roster_unused", lang=lang, count=len(unused),
                         students=clip(", ".join(one_line(s) for s in unused), 2000)))
    return lines


def dashboard_view(results: list[GradingResult], students_dir: str, lang: str = "ko",
                   similar: list[dict] | None = None, faults: list | None = None,
                   roster: tuple[list[str], list[str]] | None = None,
                   similar_skipped: list | None = None) -> dict:
    """Class-level figures per assignment, from each student's latest result per assignment;
    `faults`: stages after grading that failed (poststage.StageFault); `roster`: the
    roster's mismatches (roster.Roster.mismatches); `similar_skipped`: items the
    similarity pass could not compare (similarity.Skipped)."""
    by_assignment: dict[str, list[GradingResult]] = {}
    for result in results:
        if result.graded and result.score:
            by_assignment.setdefault(result.provenance.assignment_id, []).append(result)
    assignments = []
    for assignment_id, graded in sorted(by_assignment.items()):
        scores = sorted(r.points for r in graded)
        assignments.append({
            "id": assignment_id, "items": _per_item(graded), "matrix": _matrix(graded, students_dir),
            "histogram": histogram([r.points / r.max_points if r.max_points else 0 for r in graded]),
            "failures": failure_rates(graded, students_dir, lang),
            "stats": say("report.dashboard_stats", lang=lang, count=len(graded),
                         max_score=number(graded[0].max_points),
                         mean=f"{sum(scores) / len(scores):.1f}", median=number(scores[len(scores) // 2]))})
    students = [dict(row, link=_link(students_dir, result), seconds=f"{result.timings.total:.1f}",
                     problem_text=_problem(result, lang))
                for row, result in zip(batch_rows(results), results)]
    errors = sum(1 for r in results if not r.graded)
    return {"lang": lang, "assignments": assignments, "students": students,
            "problems": [s for s in students if s["problem_text"]],
            "summary": say("report.dashboard_summary", lang=lang, total=len(results), errors=errors),
            "identical": [say("batch.identical", lang=lang, students=g) for g in identical_groups(results)],
            "similar": similar or [], "faults": _faults(faults, lang), "roster": _roster(roster, lang),
            "similar_skipped": _skipped_note(similar_skipped or [], lang)}


def _skipped_note(skipped: list, lang: str) -> str:
    """Items the similarity pass could not normalise (similarity.Skipped), named so the
    instructor knows whose code was not compared."""
    if not skipped:
        return ""
    names = ", ".join(f"{one_line(s.student_id)} ({one_line(s.item)})" for s in skipped)
    return say("report.similar_skipped", lang=lang, count=len(skipped), items=clip(names, 600))

"""Turn a results dict into the plain, already-formatted data the templates loop over."""

from __future__ import annotations

from ..messages import say

STATUS_MARK = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "missing": "MISSING"}


def _num(x) -> str:
    return f"{x:g}" if x is not None else "-"


def _percent(score, max_score) -> str:
    return f"{100 * score / max_score:.0f}%" if max_score else "-"


def submission_view(results: dict) -> dict:
    dlfs = results["dlfs"]
    tests_by_item: dict[str, list[dict]] = {}
    for test in results.get("tests", []):
        extra = test.get("extra_data", {})
        outcome = extra.get("outcome", test["status"])
        tests_by_item.setdefault(test["tags"][0], []).append({
            "name": test["name"], "mark": STATUS_MARK.get(outcome, outcome.upper()),
            "passed": outcome == "passed", "score": _num(test["score"]),
            "max_score": _num(test["max_score"]),
            "output": extra.get("message", test.get("output", "")),
            "hint": extra.get("hint", "")})
    items = [{"item": i["item"], "score": _num(i["score"]), "max_score": _num(i["max_score"]),
              "status": i["status"], "note": (dlfs.get("notes") or {}).get(i["item"], ""),
              "tests": tests_by_item.get(i["item"], []),
              # Every test of a missing item says the same thing: say it once.
              "missing_message": (tests_by_item.get(i["item"]) or [{"output": ""}])[0]["output"]
              if i["status"] == "missing" else ""}
             for i in dlfs.get("items", [])]
    ingest = dlfs.get("ingest") or {}
    max_score = dlfs.get("max_score")
    return {
        "student_id": dlfs["student_id"],
        "assignment": dlfs.get("assignment_id") or "-",
        "graded": dlfs["status"] == "graded",
        "error": (dlfs.get("error") or {}).get("message", ""),
        "score": _num(results["score"]),
        "max_score": _num(max_score),
        "percent": _percent(results["score"], max_score),
        "items": items,
        "syntax_errors": [say("report_syntax_error", cell=c, line=ln, error=m)
                          for c, ln, m in ingest.get("syntax_errors", [])],
        "block_errors": [say("block_failed", label=label, line=line, error=f"{etype}: {msg}")
                         for label, etype, msg, line in (dlfs.get("load") or {}).get("block_errors", [])],
        "import_errors": [say("report_import_failed", label=label, line=line, statement=stmt, error=err)
                          for label, line, stmt, err in dlfs.get("import_errors", [])],
        "skipped": say("report_skipped", count=ingest["skipped_total"],
                       kinds=", ".join(f"{k} {n}" for k, n in ingest.get("skipped", {}).items()))
        if ingest.get("skipped_total") else "",
        "sha256": dlfs["sha256"][:12],
        "grader_version": dlfs["grader_version"],
        "isolation": dlfs.get("isolation", "-"),
    }


def batch_rows(all_results: list[dict]) -> list[dict]:
    rows = []
    for results in all_results:
        dlfs = results["dlfs"]
        max_score = dlfs.get("max_score")
        rows.append({
            "student_id": dlfs["student_id"],
            "assignment": dlfs.get("assignment_id") or "-",
            "score": _num(results["score"]) if dlfs["status"] == "graded" else "-",
            "max_score": _num(max_score),
            "percent": _percent(results["score"], max_score),
            "status": dlfs["status"] + (" (cached)" if dlfs.get("reused_run") else ""),
            "problem": (dlfs.get("error") or {}).get("code", "") or ", ".join(
                i["item"] for i in dlfs.get("items", []) if i["status"] != "full"),
        })
    return rows


def dashboard_view(all_results: list[dict]) -> dict:
    """Class-level figures per assignment and item, from each student's latest results."""
    by_assignment: dict[str, list[dict]] = {}
    for results in all_results:
        if results["dlfs"]["status"] == "graded":
            by_assignment.setdefault(results["dlfs"]["assignment_id"], []).append(results)
    assignments = []
    for assignment_id, graded in sorted(by_assignment.items()):
        per_item: dict[str, list[dict]] = {}
        for results in graded:
            for item in results["dlfs"].get("items", []):
                per_item.setdefault(item["item"], []).append(item)
        items = []
        for name, entries in per_item.items():
            share = sum(e["score"] for e in entries) / max(1e-9, sum(e["max_score"] for e in entries))
            items.append({"name": name,
                          "full": f"{sum(e['status'] == 'full' for e in entries)} / {len(entries)}",
                          "mean": f"{100 * share:.0f}%", "bar": round(200 * share)})
        scores = sorted(r["score"] for r in graded)
        max_score = graded[0]["dlfs"].get("max_score") or 0
        assignments.append({
            "id": assignment_id, "items": items,
            "stats": say("dashboard_stats", count=len(graded), max_score=_num(max_score),
                         mean=f"{sum(scores) / len(scores):.1f}",
                         median=_num(scores[len(scores) // 2]))})
    students = [dict(row, link=f"{row['student_id']}/feedback.html") for row in batch_rows(all_results)]
    errors = sum(1 for r in all_results if r["dlfs"]["status"] != "graded")
    return {"assignments": assignments, "students": students,
            "summary": say("dashboard_summary", total=len(all_results), errors=errors),
            "identical": [say("identical_submissions", students=g) for g in identical_groups(all_results)]}


def identical_groups(all_results: list[dict]) -> list[str]:
    """Students whose files have the same bytes, one "a, b, c" line per group.

    Worth an instructor's look (copied work, or the blank template handed in); an empty
    folder's placeholder hash is not a file and is left out.
    """
    by_sha: dict[str, list[str]] = {}
    for results in all_results:
        dlfs = results["dlfs"]
        if (dlfs.get("error") or {}).get("code") not in ("no_notebook", "unreadable"):
            by_sha.setdefault(dlfs["sha256"], []).append(dlfs["student_id"])
    return [", ".join(sorted(ids)) for ids in by_sha.values() if len(ids) > 1]

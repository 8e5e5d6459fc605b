"""The student's feedback page as plain data: one language, summary first, one block per cause.

What a student needs, in order: the total and each item's points; what to fix before
anything else (cells that do not compile, failed imports, blocks that raised, items not
found); then each item that lost points, in the assignment's order, with its failing
tests grouped by cause (the same hint, the same exception, the same wrong value), the
cause said once and one example call shown, long values folded. Items with full points
take one line. Every sentence is a part of the result (feedback.Message, rendered here in
the page's language) or a catalog entry said here; everything the student controls stays
plain text for the template to escape. Nothing here reads a sentence back: causes are
grouped by keys and fields, failing lines come from the failure's Where.
"""

from __future__ import annotations

import ast
import re

from ..feedback import Feedback, Message, Part
from ..grading.causes import BOOK_EXPORTS, NAME_ERROR
from ..grading.outcome import TestStatus, TestOutcome
from ..grading.score import ItemStatus
from ..messages import CATALOG, say
from ..result import GradingResult
from ..summary import block_words
from ..text import clip, one_line
from .code_view import code_view
from .visibility import VISIBLE, visibility_of
from .words import detail_lines, feedback_text, labelled_values, message_key, said

# A detail line longer than this is shown clipped, with the whole line folded below it.
SHORT_LINE = 90
MAX_REST = 1500          # a traceback or printed output under a failure
# Inputs are "name = description; name = description" (grading/describe.py): one line each
# reads better. The description is the same in every language; no sentence is split here.
_INPUT_SPLIT = re.compile(r"; (?=[A-Za-z_][A-Za-z0-9_]* = )")


def number(x) -> str:
    return f"{x:g}" if x is not None else "-"


def percent(score, max_score) -> str:
    return f"{100 * score / max_score:.0f}%" if max_score else "-"


def test_title(outcome: TestOutcome, assignment_id: str | None, lang: str) -> str:
    """A test's title in the page's language (its catalog entry, or its docstring verbatim)."""
    return said(outcome.title, lang)


def _value(label: str, value: str) -> dict:
    """One labelled value of a failure, with a short form when it is long."""
    parts = _INPUT_SPLIT.split(value) if len(value) > SHORT_LINE else [value]
    return {"label": label,
            "values": [{"short": clip(p, SHORT_LINE), "full": p, "folded": len(p) > SHORT_LINE}
                       for p in parts]}


def failure_view(feedback: Feedback | None, lang: str) -> dict:
    """A failure as the page shows it: the headline, the labelled values (inputs, returned,
    expected) and the rest (further lines, a traceback), each in its own way."""
    if feedback is None:
        return {"headline": "", "details": [], "rest": "", "text": ""}
    details = [_value(label, value) for label, value in labelled_values(feedback, lang)]
    rest = clip("\n".join(detail_lines(feedback, lang)).strip("\n"), MAX_REST)
    headline = said(feedback.headline, lang)
    text = "\n".join([headline] + [
        f"  {d['label']}: " + "\n      ".join(p["short"] for p in d["values"]) for d in details]
        + ([rest] if rest else []))
    return {"headline": headline, "details": details, "rest": rest, "text": text}


def cause_of(outcome: TestOutcome) -> tuple:
    """What a failing test's block is keyed on, from data: its hint's key when one matched (a
    known miss), else its headline's key with, for a raised exception, the exception's
    type, and for a wrong value, the description of what came back. A part stored as
    prose by an earlier version is keyed by its text."""
    if outcome.hint is not None:
        return ("hint", _part_key(outcome.hint))
    feedback = outcome.feedback
    if feedback is None:
        return ("none",)
    headline = feedback.headline
    if isinstance(headline, Message) and headline.field("exc_type") is not None:
        return ("error", headline.key, str(headline.field("exc_type")))
    return ("value", _part_key(headline), feedback.returned)


def _part_key(part: Part):
    return part.key if isinstance(part, Message) else ("text", part.text)


# Hints that say "one of the parts this is built from is wrong" (hint.*_wrong_layer): the
# page knows which of those parts lost points, and names them.
_WRONG_PART = "_wrong_layer"


def _name_the_parts(hint: Part | None, item: str, lost: list[str], lang: str) -> str:
    """The hint in `lang`, with the parts it speaks of that lost points named when it is a
    wrong-part hint (by its key). Which parts it speaks of: the item names its catalog
    entry mentions, as code names are written the same in every language."""
    text = said(hint, lang)
    key = message_key(hint)
    if not key or not key.endswith(_WRONG_PART):
        return text
    template = CATALOG.get(key, {}).get(lang, "")
    parts = [p for p in lost if p != item and re.search(rf"(?<![\w.]){re.escape(p)}(?![\w])", template)]
    if not parts:
        return text
    return f"{text} " + say("report.wrong_parts", lang=lang, names=", ".join(f"`{p}`" for p in parts))


def _blocks(outcomes: list[TestOutcome], assignment_id: str | None, lang: str,
            lost: list[str] = ()) -> list[dict]:
    """`lost`: the assignment's items that lost points, for a hint about a wrong part."""
    blocks: dict[tuple, dict] = {}
    for outcome in outcomes:
        if outcome.status is TestStatus.PASSED:
            continue
        key = cause_of(outcome)
        block = blocks.get(key)
        if block is None:
            example = failure_view(outcome.feedback, lang)
            hint = _name_the_parts(outcome.hint, outcome.item, list(lost), lang)
            block = blocks[key] = {"kind": key[0], "hint": hint, "example": example,
                                   "example_text": example["text"], "tests": [], "lost": 0.0}
        block["tests"].append({"title": test_title(outcome, assignment_id, lang),
                               "points": f"0 / {number(outcome.max_points)}"})
        block["lost"] += outcome.max_points
    out = list(blocks.values())
    for block in out:
        block["count"] = len(block["tests"])
        block["summary"] = say("report.cause_tests", lang=lang, count=block["count"],
                               points=number(block["lost"]))
    # The cause that costs the most points first: fixing it pays most.
    return sorted(out, key=lambda b: -b["lost"])


def _fix_first(result: GradingResult, lang: str, missing: list[tuple[str, float]]) -> list[str]:
    """Problems with the notebook itself, each of which can cost points in many tests at
    once: what is known to cost the whole notebook first (the wrong chapter, cells that do
    not compile, a load that ran out of time), then the rest by the points at stake (an
    import nothing needed goes last); a sentence is said once."""
    first = [said(result.chapter_note, lang)] if result.chapter_note else []
    first += [said(w, lang) for w in (result.ingest.warnings if result.ingest else ())]
    if result.load and result.load.timed_out:
        first.append(say("report.load_timed_out", lang=lang))
    lost_to = _names_not_defined(result)
    ranked = [(text, points) for text, points in missing]
    ranked += [(say("report.import_failed", lang=lang, label=said(block_words(f.label), lang), line=f.line,
                    statement=f.statement, error=f.error),
                sum(lost_to.get(name, 0.0) for name in _bound_by(f.statement, lost_to)))
               for f in result.import_errors]
    # A block that stopped may have left any name undefined: what NameErrors cost, at most.
    ranked += [(say("report.block_failed", lang=lang, label=said(block_words(e.label), lang), line=e.line,
                    error=f"{e.exc_type}: {e.message}"), sum(lost_to.values()))
               for e in (result.load.block_errors if result.load else ())]
    ranked.sort(key=lambda pair: -pair[1])     # stable: equal stakes keep the notebook's order
    return list(dict.fromkeys(first + [text for text, _ in ranked]))


_STAR = re.compile(r"from\s+([\w.]+)\s+import\s+\*")


def _names_not_defined(result: GradingResult) -> dict[str, float]:
    """Name -> the points of the failing tests that stopped on a name not defined: the
    `name` a cause (grading.cause.*) gives, else the name in Python's own NameError message."""
    lost: dict[str, float] = {}
    for outcome in result.outcomes:
        if outcome.status is not TestStatus.PASSED and (name := _undefined_name(outcome)):
            lost[name] = lost.get(name, 0.0) + outcome.max_points
    return lost


def _undefined_name(outcome: TestOutcome) -> str | None:
    feedback = outcome.feedback
    parts = [outcome.hint] + ([feedback.headline, *feedback.details] if feedback else [])
    for part in parts:
        if isinstance(part, Message) and part.key.startswith("grading.cause.") and part.field("name"):
            return str(part.field("name"))
    headline = feedback.headline if feedback else None
    if isinstance(headline, Message) and headline.field("exc_type") == "NameError":
        found = NAME_ERROR.search(said(headline.field("message"), "en"))
        return found.group(1) if found else None
    return None


def _bound_by(statement: str, candidates) -> set[str]:
    """The names an import statement binds (for a star import of one of the book's modules,
    what it defines; of any other module, nothing known)."""
    if star := _STAR.search(statement):
        return set(candidates) & BOOK_EXPORTS.get(star.group(1).rsplit(".", 1)[-1], set())
    try:
        tree = ast.parse(statement.strip())
    except (SyntaxError, ValueError):
        return set()
    return {(a.asname or a.name).split(".")[0] for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}


def _item_note(note: Part | None, tests: list[TestOutcome], lang: str) -> str:
    """How the item was found, and what its passing tests noted (an accepted deviation
    such as inverted dropout, a slip charged at another item), each said once."""
    parts = [note] if note else []
    parts += [n for t in tests if t.status is TestStatus.PASSED for n in t.notes]
    texts = [said(part, lang) for part in parts]
    return " ".join(dict.fromkeys(line for text in texts for line in text.splitlines() if line.strip()))


def _skip_kind(kind: str, lang: str) -> str:
    """A kind of skipped statement in the page's words (ingest's names are internal)."""
    key = f"report.skip_kind.{kind}"
    return say(key if key in CATALOG else "report.skip_kind.other", lang=lang)


def submission_view(result: GradingResult, lang: str = "ko",
                    visibility: dict[str, str] | None = None) -> dict:
    assignment_id = result.provenance.assignment_id
    by_item: dict[str, list[TestOutcome]] = {}
    for outcome in result.outcomes:
        # A test that is not visible yet counts in the points, but says nothing on the page.
        if visibility_of(outcome, visibility) == VISIBLE:
            by_item.setdefault(outcome.item, []).append(outcome)
    items, missing = [], []
    lost = [i.item for i in (result.score.items if result.score else ()) if i.status is not ItemStatus.FULL]
    for i in (result.score.items if result.score else ()):
        tests = by_item.get(i.item, [])
        status = say(f"report.status.{i.status.value}", lang=lang)
        entry = {"item": i.item, "score": number(i.points), "max_score": number(i.max_points),
                 "status": i.status.value, "status_text": status, "full": i.status is ItemStatus.FULL,
                 "note": _item_note(result.notes.get(i.item), tests, lang), "blocks": [], "missing": "",
                 "code": None}
        if i.status in (ItemStatus.MISSING, ItemStatus.NOT_FUNCTION):
            # Every test of a missing item says the same thing: say it once, among the fixes.
            entry["missing"] = feedback_text(tests[0].feedback, lang) if tests else ""
            missing.append((entry["missing"], i.max_points))
        elif not entry["full"]:
            entry["blocks"] = _blocks(tests, assignment_id, lang, lost)
            entry["code"] = code_view(result, i.item, lang)
        items.append(entry)
    ingest = result.ingest
    identity = result.provenance.identity
    return {
        "lang": lang,
        "student_id": result.student_id,
        "title": (identity.display_name if identity else "") or result.student_id,
        "submitted": _submitted_line(result.provenance, lang),
        "assignment": assignment_id or "-",
        "graded": result.graded,
        "error": said(result.error.message, lang) if result.error else "",
        "score": number(result.points),
        "max_score": number(result.max_points),
        "percent": percent(result.points, result.max_points),
        "items": items,
        "open_items": [i for i in items if not i["full"] and not i["missing"]],
        "full_items": [i for i in items if i["full"]],
        "fix_first": _fix_first(result, lang, [m for m in missing if m[0]]),
        "skipped": say("report.skipped", lang=lang, count=ingest.skipped_total,
                       kinds=", ".join(f"{_skip_kind(k, lang)} {n}" for k, n in ingest.skipped.items()))
        if ingest and ingest.skipped_total else "",
        "sha256": result.provenance.sha256[:12],
        "grader_version": result.provenance.grader_version,
        "isolation": result.isolation or "-",
    }


def _submitted_line(prov, lang: str) -> str:
    """Which upload was graded, whether the LMS marked it late, which were not graded."""
    parts = []
    if prov.identity:
        # Canvas keeps the upload's own name; in Moodle's folders it is the file inside.
        name = prov.identity.original_name or prov.source.rsplit("/", 1)[-1]
        parts.append(say("report.submitted.file", lang=lang, name=one_line(name)))
    if prov.identity and prov.identity.late:
        parts.append(say("report.submitted.late", lang=lang))
    if prov.superseded:
        names = ", ".join(one_line(name.rsplit("/", 1)[-1]) for name in prov.superseded[:5])
        parts.append(say("report.submitted.superseded", lang=lang, names=names, count=len(prov.superseded)))
    return " · ".join(parts)


def labels(lang: str) -> dict:
    return {key: say(f"report.label.{key}", lang=lang) for key in
            ("score", "item", "points", "status", "not_graded", "notebook_problems", "hint",
             "dashboard", "full_marks", "mean", "student", "assignment", "fix_first",
             "items_to_fix", "full_items", "example", "show_all", "failed_tests", "distribution",
             "matrix", "failure_rates", "test", "failed", "example_message", "problems",
             "submissions", "runtime", "similar", "similar_note", "similarity", "history", "when",
             "your_code", "faults", "faults_note", "stage", "kept", "detail", "roster")}

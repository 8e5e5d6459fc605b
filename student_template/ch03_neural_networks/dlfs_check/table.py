"""The friendly table: one row per public test (item, passed or not, test), and under a
test that did not pass, why and a hint. Korean characters take two terminal columns, so
padding counts display width, not characters."""

from __future__ import annotations

import unicodedata

from .messages import say

GAP = "  "


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _points(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else ""


def render(chapter, source: str, outcomes: list, problems: list, lang: str) -> str:
    title = chapter.title.get(lang) or chapter.title.get("en") or chapter.id
    lines = [say("ui.heading", lang, title=title, source=source), ""]
    if problems:
        lines.append(say("ui.notebook_problems", lang) + ":")
        lines += [f"  - {say(p.key, lang, **p.fields)}" for p in problems]
        lines.append("")
    labels = {}
    for outcome in outcomes:
        item = chapter.item(outcome.item)
        points = _points(item.points) if item else ""
        labels[outcome.item] = outcome.item + (f" ({say('ui.points', lang, points=points)})"
                                               if points else "")
    header = [say("ui.col_item", lang), say("ui.col_result", lang), say("ui.col_test", lang)]
    item_w = max([width(header[0])] + [width(v) for v in labels.values()])
    result_w = max(width(header[1]), width(say("ui.passed", lang)), width(say("ui.not_passed", lang)))
    lines.append(GAP.join([pad(header[0], item_w), pad(header[1], result_w), header[2]]))
    lines.append(GAP.join(["-" * item_w, "-" * result_w, "-" * max(width(header[2]), 20)]))
    indent = " " * (item_w + result_w + 2 * width(GAP))
    for label, outcome, count in _rows(outcomes, labels):
        verdict = say("ui.passed" if outcome.passed else "ui.not_passed", lang)
        test = outcome.title[lang] if count == 1 else say("ui.n_tests", lang, count=count)
        lines.append(GAP.join([pad(label, item_w), pad(verdict, result_w), test]))
        if not outcome.passed:
            for key, text in (("ui.col_why", outcome.why[lang]), ("ui.col_hint", outcome.hint[lang])):
                for n, part in enumerate(text.splitlines() if text else []):
                    lead = f"{say(key, lang)}: " if n == 0 else " " * (width(say(key, lang)) + 2)
                    lines.append(indent + lead + part)
    passed = sum(o.passed for o in outcomes)
    lines += ["", say("ui.summary", lang, passed=passed, total=len(outcomes))]
    if outcomes and passed == len(outcomes):
        lines.append(say("ui.all_passed", lang))
    return "\n".join(lines)


# An item not written yet fails every test the same way: one row says it.
_SAME_FOR_ALL = ("missing", "not_implemented")


def _rows(outcomes: list, labels: dict):
    """(item label or "", outcome, how many tests the row stands for)."""
    by_item: dict = {}
    for outcome in outcomes:
        by_item.setdefault(outcome.item, []).append(outcome)
    for item, tests in by_item.items():
        first = tests[0]
        if len(tests) > 1 and first.status in _SAME_FOR_ALL and \
                all(t.status == first.status and t.why == first.why for t in tests):
            yield labels[item], first, len(tests)
            continue
        for n, outcome in enumerate(tests):
            yield (labels[item] if n == 0 else ""), outcome, 1

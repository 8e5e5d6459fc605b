"""What Gradescope shows of one graded submission: results_json's dict reshaped for it, and
the Markdown summary above the tests.

The command line's OUT/students/<id>/results.json keeps our provenance ("dlfs") at its
top; Gradescope's results.json carries it under
its top-level extra_data, its tests in the order of the assignment's items, and an
`output` in Markdown (output_format "md") written in the course's language: the file
graded and the ones passed over, the score per item, the student page's "fix these
first" lines. Everything a student chose (file names, their code's messages) is shown as
written, never as markup, and the whole is bounded.
"""

from __future__ import annotations

import re

from ..assignment import Assignment
from ..messages import say
from ..report.page import submission_view
from ..result import GradingResult
from ..text import clip, md_inline, one_line


def to_gradescope(data: dict, items: tuple[str, ...]) -> dict:
    """results_json's dict (already in the course's one language) as Gradescope wants it:
    our provenance under Gradescope's top-level extra_data, and the tests in the order of
    the assignment's items (the order of the student's page), numbered that way."""
    data = dict(data)
    rank = {item: index for index, item in enumerate(items)}
    tests = sorted(data.get("tests", []), key=lambda t: rank.get((t.get("tags") or [""])[0], len(rank)))
    data["tests"] = [dict(test, number=str(number)) for number, test in enumerate(tests, start=1)]
    data["extra_data"] = {"dlfs": data.pop("dlfs")}
    data["output_format"] = "md"
    return data


# The summary above the tests is read on one screen; every part of it is bounded.
MAX_SUMMARY = 8000
MAX_LINE = 400
MAX_FIX_LINES = 8
MAX_NAMES = 10


def summary(result: GradingResult, assignment: Assignment, preface: list[str], lang: str) -> str:
    """Gradescope's top-level output, in Markdown: the file graded, the score per item and
    the student page's "fix these first" lines, in the course's language."""
    view = submission_view(result, lang, assignment.visibility)
    parts = list(preface)
    if view["error"]:
        parts.append(_markdown(clip(view["error"], MAX_LINE)))
    if view["graded"] or view["items"]:
        parts.append("**" + md_inline(say("report.score_line", lang=lang, points=view["score"],
                                          max_points=view["max_score"])) + "**")
    if view["items"]:
        label = lambda key: say(f"report.label.{key}", lang=lang)
        rows = [f"| {label('item')} | {label('score')} | {label('status')} |", "|---|---:|---|"]
        rows += [f"| {_code(i['item'])} | {i['score']} / {i['max_score']} | {i['status_text']} |"
                 for i in view["items"]]
        parts.append("\n".join(rows))
    fixes = [f for f in view["fix_first"] if f.strip()]
    if fixes:
        lines = [f"- {_markdown(clip(f, MAX_LINE))}" for f in fixes[:MAX_FIX_LINES]]
        if len(fixes) > MAX_FIX_LINES:
            lines.append(f"- {say('gradescope.more', lang=lang, count=len(fixes) - MAX_FIX_LINES)}")
        parts.append(f"### {say('report.label.fix_first', lang=lang)}\n\n" + "\n".join(lines))
    if view["items"]:
        parts.append(say("gradescope.tests_follow", lang=lang))
    return clip("\n\n".join(parts), MAX_SUMMARY)


def _markdown(text: str) -> str:
    """One line of Markdown showing `text` as written. The catalog's sentences mark code
    with backticks (`softmax`), and what the student wrote fills them: each marked part
    becomes a code span of its own fence, the rest is escaped, so nothing a student
    wrote can open a heading, link or table; unpaired backticks are shown as they are."""
    pieces = one_line(text).split("`")
    if len(pieces) % 2 == 0:
        return md_inline(text)
    return "".join(_code(piece) if odd and piece.strip() else md_inline(piece if not odd else "``")
                   for odd, piece in ((i % 2 == 1, p) for i, p in enumerate(pieces)))


def _code(text: str) -> str:
    """A file name as a Markdown code span: shown as written, whatever it holds."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def preface(submission, others: tuple[str, ...], by_name: bool, published: str,
             lang: str, links: tuple[str, ...] = ()) -> list[str]:
    """What the student reads first: which file was graded, which were not and why, and
    the links in the upload, never followed (alone, they are why "no notebook")."""
    lines = []
    if not submission.refusal and submission.path.is_file():
        lines.append(say("report.submitted.file", lang=lang, name=_code(submission.origin)))
    if others:
        names = ", ".join(_code(clip(name, MAX_LINE)) for name in others[:MAX_NAMES])
        if len(others) > MAX_NAMES:
            names += " " + say("gradescope.more", lang=lang, count=len(others) - MAX_NAMES)
        why = say("gradescope.chosen.by_name", lang=lang, name=_code(published)) if by_name \
            else say("gradescope.chosen.newest", lang=lang, name=_code(published))
        lines.append(say("gradescope.passed_over", lang=lang, names=names, why=why))
    if links:
        names = ", ".join(_code(clip(name, MAX_LINE)) for name in links[:MAX_NAMES])
        if len(links) > MAX_NAMES:
            names += " " + say("gradescope.more", lang=lang, count=len(links) - MAX_NAMES)
        lines.append(say("gradescope.links_skipped", lang=lang, names=names))
    return lines

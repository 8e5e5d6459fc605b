"""Feedback said once, in one language: how every edge of the report (the page, results.json,
the dashboard) turns a result's parts into text.

A failure's headline and details are parts (feedback.Message or Verbatim); its inputs,
returned value and expected value are descriptions that read the same in every language,
labelled here with the catalog's grading.label.* words.
"""

from __future__ import annotations

from ..feedback import Feedback, Message, Part, render_part
from ..grading.outcome import TestOutcome, TestStatus
from ..messages import say

VALUES = ("inputs", "returned", "expected")


def said(part: Part | str | None, lang: str) -> str:
    """A part (or an older run's plain string) in `lang`; nothing for None."""
    return "" if part is None else render_part(part, lang)


def labelled_values(feedback: Feedback, lang: str) -> list[tuple[str, str]]:
    """(label in `lang`, description) for the call's inputs, what it returned, what was expected."""
    return [(say(f"grading.label.{name}", lang=lang), value) for name in VALUES
            if (value := getattr(feedback, name)) is not None]


def detail_lines(feedback: Feedback, lang: str) -> list[str]:
    """A failure's further lines: ours (the error sizes, the worst index, the item to fix
    first) indented under the values like them; a traceback (verbatim) as it was printed."""
    return [f"  {said(detail, lang)}" if isinstance(detail, Message) else said(detail, lang)
            for detail in feedback.details]


def feedback_text(feedback: Feedback | None, lang: str) -> str:
    """A failure as plain text: the headline, "  label: value" lines, then the details."""
    if feedback is None:
        return ""
    lines = [said(feedback.headline, lang)]
    lines += [f"  {label}: {value}" for label, value in labelled_values(feedback, lang)]
    lines += detail_lines(feedback, lang)
    return "\n".join(line for line in lines if line.strip())


def test_text(outcome: TestOutcome, lang: str) -> str:
    """What a test says: why it did not pass, else what it noted."""
    if outcome.status is TestStatus.PASSED:
        return "\n".join(said(note, lang) for note in outcome.notes)
    return feedback_text(outcome.feedback, lang)


def message_key(part: Part | None) -> str | None:
    """The catalog key of a part that is a Message (None for Verbatim or nothing)."""
    return part.key if isinstance(part, Message) else None

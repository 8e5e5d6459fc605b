"""Feedback said once, in one language: how every edge of the report (the page, results.json,
the dashboard) turns a result's parts into text.

A failure's headline and details are parts (feedback.Message or Verbatim); its inputs,
returned value and expected value are descriptions that read the same in every language,
labelled here with the catalog's grading.label.* words.
"""

from __future__ import annotations

from ..feedback import Feedback, Message, Part, msg, render_part
from ..grading.outcome import TestOutcome, TestStatus
from ..messages import say
from ..result import GradingResult

DEFAULT_LANG = "ko"      # the course's students read Korean first; `--lang en` for the others
VALUES = ("inputs", "returned", "expected")


def said(part: Part | str | None, lang: str) -> str:
    """A part (or an older run's plain string) in `lang`; nothing for None."""
    return "" if part is None else render_part(part, lang)


def labelled_values(feedback: Feedback, lang: str) -> list[tuple[str, str]]:
    """(label in `lang`, description) for the call's inputs, what it returned, what was expected."""
    return [(say(f"grading.label.{name}", lang=lang), value) for name in VALUES
            if (value := getattr(feedback, name)) is not None]


def feedback_text(feedback: Feedback | None, lang: str) -> str:
    """A failure as plain text: the headline, "  label: value" lines, then the details."""
    if feedback is None:
        return ""
    lines = [said(feedback.headline, lang)]
    lines += [f"  {label}: {value}" for label, value in labelled_values(feedback, lang)]
    lines += [said(detail, lang) for detail in feedback.details]
    return "\n".join(line for line in lines if line)


def test_text(outcome: TestOutcome, lang: str) -> str:
    """What a test says: why it did not pass, else what it noted."""
    if outcome.status is TestStatus.PASSED:
        return "\n".join(said(note, lang) for note in outcome.notes)
    return feedback_text(outcome.feedback, lang)


def summary_parts(result: GradingResult) -> list[Part]:
    """The lines above what the student's code printed: the error of a result not graded;
    else the score, the blocks that failed while loading, a load that ran out of time,
    and a heading when something was printed.

    Integrator: fb-edges' floor module autograder/summary.py has summary_parts and
    summary_text saying the same; this local copy (and summary_text below) goes when that
    one lands: import them from there."""
    if result.error is not None:
        return [result.error.message]
    parts: list[Part] = []
    if result.score is not None:
        parts.append(msg("report.score_line", points=f"{result.score.points:g}",
                         max_points=f"{result.score.max_points:g}"))
    load = result.load
    for error in (load.block_errors if load else ()):
        parts.append(msg("report.block_failed", label=error.label, line=error.line,
                         error=f"{error.exc_type}: {error.message}"))
    if load and load.timed_out:
        parts.append(msg("report.load_timed_out"))
    if result.output.strip():
        parts.append(msg("report.student_output_follows"))
    return parts


def summary_text(result: GradingResult, lang: str) -> str:
    """The summary in `lang`, then what the student's code printed, as it printed it."""
    lines = [said(part, lang) for part in summary_parts(result)]
    if result.output.strip():
        lines.append(result.output)
    return "\n".join(lines)


def message_key(part: Part | None) -> str | None:
    """The catalog key of a part that is a Message (None for Verbatim or nothing)."""
    return part.key if isinstance(part, Message) else None

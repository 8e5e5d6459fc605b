"""What a result says above the student's printed output, as messages an edge renders.

A graded result's `output` is only what the student's code printed; an error result has
none. The lines before it (the score, each top-level block that failed while loading, a
load that ran out of time, and a heading when something was printed, or the error of a
result that was not graded) are built here from the result's data, so results.json, the
console and a stored run say them in whichever language the edge speaks.
"""

from __future__ import annotations

from .feedback import Part, Verbatim, cell_of, msg
from .result import GradingResult


def block_words(label: str) -> Part:
    """A block's label as a reader says it: a notebook cell's ("cell 7") in the reader's
    language; any other block (the grader's own prelude) by its name."""
    cell = cell_of(label)
    return msg("report.cell", cell=cell) if cell is not None else Verbatim(label)


def summary_parts(result: GradingResult) -> list[Part]:
    """The lines above the printed output, in order; the heading of that output comes last
    and only when the student's code printed something."""
    if result.error is not None:
        return [result.error.message]
    parts: list[Part] = []
    if result.score is not None:
        parts.append(msg("report.score_line", points=f"{result.score.points:g}",
                         max_points=f"{result.score.max_points:g}"))
    if result.load is not None:
        for error in result.load.block_errors:
            # The exception's own text is the student's: a plain field, said as it is.
            parts.append(msg("report.block_failed", label=block_words(error.label), line=error.line,
                             error=f"{error.exc_type}: {error.message}"))
        if result.load.timed_out:
            parts.append(msg("report.load_timed_out"))
    if result.output.strip():
        parts.append(msg("report.student_output_follows"))
    return parts


def summary_text(result: GradingResult, lang: str) -> str:
    """The summary lines in `lang`, then what the student printed: the text an edge shows
    as a result's output (results.json's "output", Gradescope's)."""
    lines = [part.render(lang) for part in summary_parts(result)]
    if result.output.strip():
        lines.append(result.output)
    return "\n".join(lines)

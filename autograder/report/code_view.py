"""The student's own code for an item that lost points, as the feedback page shows it.

Highlighted by Pygments with inline styles (the page stays one self-contained file),
numbered as the notebook cell numbers its lines, and the lines where it failed marked: a
failure's Where (cell, line) and a block that stopped while loading (its label and line).
"""

from __future__ import annotations

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from ..ingest.sources import ItemSource, cell_label
from ..messages import say
from ..result import GradingResult

_LEXER = PythonLexer()


def failing_lines(result: GradingResult, item: str, source: ItemSource) -> list[int]:
    """Lines of `source.code` (from 1) where this item's failures happened, or where a block
    of its cell stopped while the notebook loaded; places in other cells are not its."""
    places = [(o.feedback.where.cell, o.feedback.where.line) for o in result.outcomes
              if o.item == item and o.feedback is not None and o.feedback.where is not None]
    places += [(source.cell, e.line) for e in (result.load.block_errors if result.load else ())
               if e.label == cell_label(source.cell)]
    return sorted({line - source.line + 1 for cell, line in places
                   if cell == source.cell and line is not None and source.line <= line <= source.last_line})


def code_view(result: GradingResult, item: str, lang: str) -> dict | None:
    """{"html", "text", "where", "failing"} for the template, or None when no code was kept."""
    source = result.item_sources.get(item)
    if source is None:
        return None
    marked = failing_lines(result, item, source)
    formatter = HtmlFormatter(noclasses=True, nowrap=False, linenos="inline",
                              linenostart=source.line, hl_lines=marked, style="default",
                              cssstyles="padding: .4rem .6rem; border-radius: 6px; overflow-x: auto")
    where = say("report.code_where", lang=lang, cell=source.cell, line=source.line)
    failing = [say("report.code_failing_line", lang=lang, cell=source.cell, line=source.line + n - 1)
               for n in marked]
    return {"html": Markup(highlight(source.code, _LEXER, formatter)), "text": source.code,
            "where": where, "failing": failing}

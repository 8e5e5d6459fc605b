"""The student's own code for an item that lost points, as the feedback page shows it.

Highlighted by Pygments with inline styles (the page stays one self-contained file),
numbered as the notebook cell numbers its lines, and the line a traceback names as where
it failed marked (best effort: only `File "<cell N>", line L` and `cell N, line L`).
"""

from __future__ import annotations

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from ..messages import say
from ..result import GradingResult
from .sources import failing_lines

_LEXER = PythonLexer()


def _messages(result: GradingResult, item: str) -> list[str]:
    """Where this item's failures were reported: its tests, and blocks that failed to load."""
    texts = [o.message for o in result.outcomes if o.item == item and o.message]
    texts += [f"{e.label}, line {e.line}" for e in (result.load.block_errors if result.load else ())
              if e.line is not None]
    return texts


def code_view(result: GradingResult, item: str, lang: str) -> dict | None:
    """{"html", "text", "where", "failing"} for the template, or None when no code was kept."""
    source = result.item_sources.get(item)
    if source is None:
        return None
    marked = sorted(failing_lines(source, _messages(result, item)))
    formatter = HtmlFormatter(noclasses=True, nowrap=False, linenos="inline",
                              linenostart=source.line, hl_lines=marked, style="default",
                              cssstyles="padding: .4rem .6rem; border-radius: 6px; overflow-x: auto")
    where = say("report.code_where", lang=lang, cell=source.cell, line=source.line)
    failing = [say("report.code_failing_line", lang=lang, cell=source.cell, line=source.line + n - 1)
               for n in marked]
    return {"html": Markup(highlight(source.code, _LEXER, formatter)), "text": source.code,
            "where": where, "failing": failing}

"""Text to code cells: a notebook through nbformat, or a .py file split on cell markers."""

from __future__ import annotations

import json
import logging
import re

import nbformat
from nbformat.validator import ValidationError

from autograder.ingest.model import Cell, IngestError, IngestReport, split_lines
from autograder.messages import say

log = logging.getLogger("autograder.ingest")

# `# %%` (VS Code, Spyder, jupytext) and `# In[3]:` (nbconvert --to script).
PY_CELL_MARKER = re.compile(r"^#\s*(%%|In\[[\d ]*\]:)")


def read_notebook(text: str, report: IngestReport) -> tuple[list[Cell], dict]:
    """Return the code cells (numbered among all cells) and the notebook metadata."""
    raw = _load_json(text)
    if not isinstance(raw, dict) or "nbformat" not in raw or not (
            "cells" in raw or "worksheets" in raw):
        raise IngestError("not_a_notebook", say("ingest.error.not_a_notebook",
                                                reason=_shape_of(raw)))
    try:
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        version = nb.nbformat
        if version != 4:
            nb = nbformat.convert(nb, 4)
    except Exception as error:  # nbformat raises a zoo of types on odd input
        raise IngestError("not_a_notebook", say("ingest.error.not_a_notebook",
                                                reason=f"{type(error).__name__}: {error}")) from error
    report.format = "ipynb v4" if version == 4 else f"ipynb v{version} upgraded"
    try:
        nbformat.validate(nb)
    except ValidationError as error:
        # Colab and hand-edited notebooks often carry extra fields; the code is still there.
        log.info("notebook does not validate: %s", error.message)
        report.warnings.append(say("ingest.warn.invalid_notebook", reason=error.message[:300]))
    except (RecursionError, MemoryError) as error:
        # The schema check walks the JSON recursively; deep outputs or metadata defeat it,
        # but the cells were read already.
        log.info("notebook could not be validated: %s", type(error).__name__)
        report.warnings.append(say("ingest.warn.invalid_notebook", reason=type(error).__name__))
    cells = [Cell(number, _source_of(cell)) for number, cell in enumerate(nb.cells, start=1)
             if cell.get("cell_type") == "code"]
    report.cells_total = len(nb.cells)
    return cells, dict(nb.metadata)


def read_script(text: str, report: IngestReport) -> tuple[list[Cell], dict]:
    chunks: list[list[str]] = [[]]
    for line in split_lines(text):
        if PY_CELL_MARKER.match(line):
            chunks.append([])
        else:
            chunks[-1].append(line)
    if not "".join(chunks[0]).strip():
        chunks.pop(0)
    report.format = "py"
    report.cells_total = len(chunks)
    return [Cell(number, "\n".join(lines)) for number, lines in enumerate(chunks, start=1)], {}


def _load_json(text: str):
    try:
        return json.loads(text)
    except RecursionError as error:
        # `[[[[...]]]]` thousands deep: the decoder gives up before anything is built.
        raise IngestError("too_deep", say("ingest.error.too_deep")) from error
    except json.JSONDecodeError as error:
        body = text.rstrip()
        ran_out = error.pos >= len(body) - 1 or error.msg.startswith("Unterminated string")
        if body.startswith(("{", "[")) and ran_out:
            raise IngestError("truncated", say("ingest.error.truncated")) from error
        raise IngestError("invalid_json", say("ingest.error.invalid_json", line=error.lineno,
                                              column=error.colno, reason=error.msg)) from error


def _shape_of(raw) -> str:
    if isinstance(raw, dict):
        return "keys: " + ", ".join(sorted(map(str, raw))[:6])
    return type(raw).__name__


def _source_of(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)

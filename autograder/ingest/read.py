"""Text to code cells: a notebook through nbformat, or a .py file split on cell markers."""

from __future__ import annotations

import json
import logging
import re

import nbformat
from nbformat.validator import ValidationError

from autograder.ingest.model import Cell, IngestError, IngestReport
from autograder.ingest.stream import load_kept
from autograder.feedback import msg

log = logging.getLogger("autograder.ingest")

# A marker line: `# %%` (VS Code, Spyder, jupytext) or `# In[3]:` (nbconvert --to script).
PY_CELL_MARKER = re.compile(r"^#[^\S\n]*(?:%%|In\[[\d ]*\]:)[^\n]*(?:\n|\Z)", re.MULTILINE)

# Parsed JSON costs 50 to 250 bytes a value (64 MB of `[],` took 1.6 GB), and a notebook
# is a few long strings (code, outputs, images). Past half a million values (a notebook
# with hundreds of thousands of output lines) it is read as a stream that builds only
# what grading reads, and those kept values are capped at the same number (~150 MB).
MAX_JSON_VALUES = 500_000
JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
# Course notebooks have tens of cells, a few hundred at the very most.
MAX_CELLS = 5_000


def read_notebook(text: str, report: IngestReport) -> tuple[list[Cell], dict]:
    """Return the code cells (numbered among all cells) and the notebook metadata."""
    if _json_values(text) > MAX_JSON_VALUES:
        # Most of a notebook this big is output (a long training log): read it as a
        # stream that passes over what grading never reads, and cap only what is kept.
        raw = load_kept(text.encode("utf-8", "surrogatepass"), MAX_JSON_VALUES)
    else:
        raw = _load_json(text)
    if not isinstance(raw, dict) or "nbformat" not in raw or not (
            "cells" in raw or "worksheets" in raw):
        raise IngestError("not_a_notebook", msg("ingest.error.not_a_notebook",
                                                reason=_shape_of(raw)))
    _refuse_too_many_cells(_count_cells(raw))
    metadata = raw["metadata"] if isinstance(raw.get("metadata"), dict) else {}
    try:
        # From the dict already parsed (reading the text again would double the memory),
        # without the parts grading never reads, which nbformat would copy and walk.
        version, minor = nbformat.reader.get_version(raw)
        nb = nbformat.versions[version].to_notebook_json(_without_outputs(raw), minor=minor)
        del raw
        if version != 4:
            nb = nbformat.convert(nb, 4)
    except Exception as error:  # nbformat raises a zoo of types on odd input
        raise IngestError("not_a_notebook", msg("ingest.error.not_a_notebook",
                                                reason=f"{type(error).__name__}: {error}"[:300])) from error
    report.format = "ipynb v4" if version == 4 else f"ipynb v{version} upgraded"
    try:
        nbformat.validate(nb)
    except ValidationError as error:
        # Colab and hand-edited notebooks often carry extra fields; the code is still there.
        log.info("notebook does not validate: %s", error.message)
        report.warnings.append(msg("ingest.warn.invalid_notebook", reason=error.message[:300]))
    except (RecursionError, MemoryError) as error:
        # The schema check walks the JSON recursively; deep outputs or metadata defeat it,
        # but the cells were read already.
        log.info("notebook could not be validated: %s", type(error).__name__)
        report.warnings.append(msg("ingest.warn.invalid_notebook", reason=type(error).__name__))
    cells = [Cell(number, _source_of(cell)) for number, cell in enumerate(nb.cells, start=1)
             if cell.get("cell_type") == "code"]
    report.cells_total = len(nb.cells)
    return cells, metadata


def read_script(text: str, report: IngestReport) -> tuple[list[Cell], dict]:
    # Sliced between marker lines, never split into a list of every line: a 64 MB file
    # of short lines would make tens of millions of strings.
    chunks: list[str] = []
    start = 0
    for marker in PY_CELL_MARKER.finditer(text):
        chunks.append(text[start:marker.start()])
        start = marker.end()
        _refuse_too_many_cells(len(chunks))
    chunks.append(text[start:])
    if not chunks[0].strip():
        chunks.pop(0)
    report.format = "py"
    report.cells_total = len(chunks)
    return [Cell(number, chunk) for number, chunk in enumerate(chunks, start=1)], {}


def _json_values(text: str) -> int:
    """About how many values the JSON holds: commas and openings outside strings."""
    rough = text.count(",") + text.count("[") + text.count("{")
    if rough <= MAX_JSON_VALUES:
        return rough  # an upper bound: strings can only add to it
    bare = JSON_STRING.sub('""', text)
    return bare.count(",") + bare.count("[") + bare.count("{")


def _without_outputs(raw: dict) -> dict:
    """The notebook's structure and sources; outputs, attachments and metadata emptied."""
    slim = dict(raw, metadata={})
    if isinstance(raw.get("cells"), list):
        slim["cells"] = [_slim_cell(c) for c in raw["cells"]]
    if isinstance(raw.get("worksheets"), list):
        slim["worksheets"] = [dict(w, cells=[_slim_cell(c) for c in w["cells"]])
                              if isinstance(w, dict) and isinstance(w.get("cells"), list) else w
                              for w in raw["worksheets"]]
    return slim


def _slim_cell(cell):
    if not isinstance(cell, dict):
        return cell
    slim = {key: value for key, value in cell.items() if key != "attachments"}
    for key, empty in (("outputs", []), ("metadata", {})):
        if key in slim:
            slim[key] = empty
    return slim


def _count_cells(raw: dict) -> int:
    if isinstance(raw.get("cells"), list):
        return len(raw["cells"])
    sheets = raw.get("worksheets")
    return sum(len(w.get("cells") or []) for w in sheets if isinstance(w, dict)) \
        if isinstance(sheets, list) else 0


def _refuse_too_many_cells(count: int) -> None:
    if count > MAX_CELLS:
        raise IngestError("too_many_cells", msg("ingest.error.too_many_cells", limit=MAX_CELLS))


def _load_json(text: str):
    try:
        return json.loads(text)
    except RecursionError as error:
        # `[[[[...]]]]` thousands deep: the decoder gives up before anything is built.
        raise IngestError("too_deep", msg("ingest.error.too_deep")) from error
    except json.JSONDecodeError as error:
        body = text.rstrip()
        ran_out = error.pos >= len(body) - 1 or error.msg.startswith("Unterminated string")
        if body.startswith(("{", "[")) and ran_out:
            raise IngestError("truncated", msg("ingest.error.truncated")) from error
        raise IngestError("invalid_json", msg("ingest.error.invalid_json", line=error.lineno,
                                              column=error.colno, reason=error.msg)) from error


def _shape_of(raw) -> str:
    if isinstance(raw, dict):
        return "keys: " + ", ".join(sorted(map(str, raw))[:6])
    return type(raw).__name__


def _source_of(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)

"""`ingest(path)`: read a submission, then run the cell steps in the order listed below.

Every cell step has the same signature, `step(cells, ctx) -> cells`, and the order is
the list itself: size limits before anything reads a cell's text, magics before parsing,
parsing before choosing statements, choosing before writing them out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from autograder.ingest.bounds import limit_cells
from autograder.ingest.encoding import decode, read_bytes, sniff
from autograder.ingest.emit import blocks_of, emit_blocks
from autograder.ingest.keep import keep_definitions
from autograder.ingest.magics import strip_magics
from autograder.ingest.model import IngestContext, IngestError, IngestReport, IngestResult
from autograder.ingest.parse import parse_cells
from autograder.ingest.read import read_notebook, read_script
from autograder.feedback import msg

log = logging.getLogger("autograder.ingest")

CELL_STEPS = [limit_cells, strip_magics, parse_cells, keep_definitions, emit_blocks]

SCRIPT_SUFFIXES = {".py"}


def ingest(path: str | Path) -> IngestResult:
    """Read one submission; raises IngestError when it cannot be read at all."""
    path = Path(path)
    return ingest_bytes(read_bytes(path), path.name)


def ingest_bytes(data: bytes, name: str) -> IngestResult:
    """Ingest a submission already read (so its bytes are read once, hashed and parsed);
    `name` is its file name, whose suffix says notebook or script."""
    path = Path(name)
    sniff(data)
    text, encoding = decode(data)
    report = IngestReport(encoding=encoding)
    reader = read_script if path.suffix.lower() in SCRIPT_SUFFIXES else read_notebook
    cells, metadata = reader(text, report)
    cells = [c for c in cells if c.source.strip()]
    report.cells_code = len(cells)
    if not cells:
        raise IngestError("empty", msg("ingest.error.empty"))
    ctx = IngestContext(report)
    for step in CELL_STEPS:
        cells = step(cells, ctx)
    log.info("%s: %s, %d code cells, %d kept definitions, %d statements skipped",
             path.name, report.format, report.cells_code, len(ctx.definitions),
             report.skipped_total)
    return IngestResult(blocks_of(cells), ctx.definitions, metadata, report, ctx.unread,
                        ctx.skipped, {c.label: c.number for c in cells if c.emitted})

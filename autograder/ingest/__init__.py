"""Ingest: a submitted file in, the student's module (ordered code blocks) and a report out.

    result = ingest(path)
    resolution = resolve_items(result.definitions, items, aliases, unread=result.unread)

The cell steps run in the order of `steps.CELL_STEPS`.
"""

from autograder.ingest.model import (CellProblem, Definition, IngestError, IngestReport,
                                     IngestResult, Unread)
from autograder.ingest.steps import CELL_STEPS, ingest, ingest_bytes
from autograder.ingest.resolve import Resolution, resolve_items

__all__ = ["CELL_STEPS", "CellProblem", "Definition", "IngestError", "IngestReport",
           "IngestResult", "Resolution", "Unread", "ingest", "ingest_bytes", "resolve_items"]

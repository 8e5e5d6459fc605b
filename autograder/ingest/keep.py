"""Choose the top-level statements the student module keeps, in cell order.

What one statement defines is decided in `rules`. Everything not kept (calls, loops,
plots, data loading, training) is skipped and counted by kind, so nothing slow,
stateful or endless runs when the module loads. Later statements win over earlier
ones, as in a top-to-bottom run.
"""

from __future__ import annotations

import ast
import logging
from dataclasses import replace

from autograder.ingest.model import Cell, Definition, IngestContext
from autograder.ingest.rules import bindings, calls_get_ipython, rebound_names, skip_kind
from autograder.messages import say

log = logging.getLogger("autograder.ingest")


def keep_definitions(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    for cell in cells:
        if cell.tree is None:
            continue
        for stmt in cell.tree.body:
            bound = bindings(stmt, cell.number, ctx.usable)
            if bound is None:
                skip(stmt, cell, ctx)
                continue
            cell.kept.append(stmt)
            register(stmt, bound, cell, ctx)
    return cells


def register(stmt: ast.stmt, bound: list[Definition], cell: Cell, ctx: IngestContext) -> None:
    """Record what a kept statement defines; a later definition replaces an earlier one."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        _warn_if_stray_method(stmt, cell, ctx)
    for definition in bound:
        key = definition.name if definition.name != "*" else f"* {definition.imported_from}"
        earlier = ctx.definitions.get(key)
        if earlier is not None:
            # Kept so the report can say which of several definitions is graded.
            cells = earlier.earlier + ((earlier.cell,) if earlier.cell != definition.cell else ())
            definition = replace(definition, earlier=cells)
        ctx.definitions[key] = definition
        if definition.name != "*":
            ctx.usable[definition.name] = definition


def skip(stmt: ast.stmt, cell: Cell, ctx: IngestContext) -> None:
    if calls_get_ipython(stmt, cell.source):
        ctx.report.magics_stripped += 1
    else:
        ctx.report.skipped[skip_kind(stmt)] += 1
    # The kept module never sees this rebinding, so later constants must not build on
    # the stale value it would still hold.
    for name in rebound_names(stmt):
        ctx.usable.pop(name, None)


def _warn_if_stray_method(stmt: ast.FunctionDef | ast.AsyncFunctionDef, cell: Cell,
                          ctx: IngestContext) -> None:
    params = stmt.args.posonlyargs + stmt.args.args
    if params and params[0].arg == "self":
        ctx.report.warnings.append(say("ingest.warn.method_outside_class",
                                       name=stmt.name, cell=cell.number))

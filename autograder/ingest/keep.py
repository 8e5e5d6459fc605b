"""Choose the top-level statements the student module keeps, in cell order.

What one statement defines is decided in `rules`; a top-level `if`, `try` or `with`
is opened by `blocks` and keeps what it defines. Everything not kept (calls, loops,
plots, data loading, training) is skipped and counted by kind, so nothing slow,
stateful or endless runs when the module loads. Later statements win over earlier
ones, as in a top-to-bottom run.
"""

from __future__ import annotations

import ast
import logging
from dataclasses import replace

from autograder.ingest.blocks import BlockPlan, block_kind, hidden_definitions, open_block
from autograder.ingest.model import Cell, Definition, IngestContext, Skipped
from autograder.ingest.rules import bindings, calls_get_ipython, rebound_names, skip_kind
from autograder.ingest.unread import note_unread
from autograder.feedback import msg

log = logging.getLogger("autograder.ingest")

# A report line lists at most this many names (a block can define thousands).
LISTED_NAMES = 8


def keep_definitions(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    for cell in cells:
        if cell.tree is None:
            note_unread(cell, ctx)
            continue
        for stmt in cell.tree.body:
            if block_kind(stmt):
                _keep_block(stmt, cell, ctx)
                continue
            bound = bindings(stmt, cell.number, ctx.usable)
            if bound is None:
                skip(stmt, cell, ctx)
                _warn_hidden(stmt.lineno, skip_kind(stmt), hidden_definitions(stmt), cell, ctx)
                continue
            cell.kept.append(stmt)
            register(stmt, bound, cell, ctx)
    return cells


def _keep_block(stmt: ast.stmt, cell: Cell, ctx: IngestContext) -> None:
    plan = open_block(stmt, cell, ctx.usable)
    if plan is None or not plan.keeps_anything:
        skip(stmt, cell, ctx)
        hidden = plan.hidden if plan else [(stmt.lineno, block_kind(stmt), hidden_definitions(stmt))]
        for line, kind, names in hidden:
            _warn_hidden(line, kind, names, cell, ctx)
        return
    cell.kept.append(stmt)
    cell.edits += plan.edits
    _replay(stmt, plan, cell, ctx)


def _replay(block: ast.stmt, plan: BlockPlan, cell: Cell, ctx: IngestContext) -> None:
    """Apply the plan's steps to the context in source order, as top-level statements would."""
    kept: list[str] = []
    kind = block_kind(block)
    for stmt, bound in plan.steps:
        if bound is None:
            skip(stmt, cell, ctx)
            continue
        register(stmt, [replace(d, block=kind, block_line=block.lineno) for d in bound], cell, ctx)
        kept += [d.name if d.name != "*" else f"{d.imported_from}.*" for d in bound]
    log.info("%s: opened the %s block on line %d", cell.label, kind, block.lineno)
    ctx.report.warnings.append(msg("ingest.warn.block_opened", cell=cell.number, line=block.lineno,
                                   block=kind, names=_listed(kept)))
    for line, hidden_kind, names in plan.hidden:
        _warn_hidden(line, hidden_kind, names, cell, ctx)


def _warn_hidden(line: int, kind: str, names: list[str], cell: Cell, ctx: IngestContext) -> None:
    if names:
        ctx.report.warnings.append(msg("ingest.warn.block_skipped", cell=cell.number, line=line,
                                       block=kind, names=_listed(names)))


def _listed(names: list[str]) -> str:
    """`a`, `b`, ... for a report line: each name once, in order, at most LISTED_NAMES."""
    unique = list(dict.fromkeys(names))
    text = ", ".join(f"`{n}`" for n in unique[:LISTED_NAMES])
    return text + (", ..." if len(unique) > LISTED_NAMES else "")


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
            definition = replace(definition, earlier=cells, replaced=earlier.kind)
        ctx.definitions[key] = definition
        ctx.unread.pop(key, None)  # a readable definition after the unread one wins
        if definition.name != "*":
            ctx.usable[definition.name] = definition


def skip(stmt: ast.stmt, cell: Cell, ctx: IngestContext) -> None:
    kind = skip_kind(stmt)
    if calls_get_ipython(stmt):
        ctx.report.magics_stripped += 1
    else:
        ctx.report.skipped[kind] += 1
    # The kept module never sees this rebinding, so later constants must not build on
    # the stale value it would still hold; where it happened is kept for the NameError
    # (or the class rebound to an instance) it explains later.
    called = _called_name(stmt)
    for name in rebound_names(stmt):
        ctx.usable.pop(name, None)
        ctx.skipped[name] = Skipped(cell.number, stmt.lineno, kind, called)


def _called_name(stmt: ast.stmt) -> str:
    """`net = TwoLayerNet(...)`: TwoLayerNet (what `net` would be an instance of)."""
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
            and isinstance(stmt.value.func, ast.Name):
        return stmt.value.func.id
    return ""


def _warn_if_stray_method(stmt: ast.FunctionDef | ast.AsyncFunctionDef, cell: Cell,
                          ctx: IngestContext) -> None:
    params = stmt.args.posonlyargs + stmt.args.args
    if params and params[0].arg == "self":
        ctx.report.warnings.append(msg("ingest.warn.method_outside_class",
                                       name=stmt.name, cell=cell.number))

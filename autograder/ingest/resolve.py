"""Match the book's item names to what the student defined, or say why an item cannot be graded."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from autograder.ingest.model import Definition, Unread
from autograder.ingest.unread import describe
from autograder.messages import say

CALLABLE_KINDS = {"function", "class", "lambda", "alias"}
# Notes about later definitions that could not be read, per item, at most.
MAX_UNREAD_NOTES = 3


@dataclass
class Resolution:
    bindings: dict[str, str] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def resolve_items(definitions: dict[str, Definition], items: list[str],
                  aliases: dict[str, list[str]] | None = None,
                  unread: dict[str, tuple[Unread, ...]] | None = None) -> Resolution:
    """`unread` (IngestResult.unread) lets a missing item say the cell it was in could not be read."""
    aliases = aliases or {}
    unread = unread or {}
    resolution = Resolution()
    for item in items:
        candidates = [n for n in [item, *aliases.get(item, [])] if n in definitions]
        written = [n for n in candidates if _usable(definitions[n])]
        if written:
            chosen = definitions[written[0]]
            resolution.bindings[item] = written[0]
            notes = []
            if written[0] != item:
                notes.append(say("ingest.resolve.alias_note", student=written[0], book=item))
            if chosen.earlier:
                notes.append(say("ingest.resolve.redefined", name=written[0],
                                 cells=", ".join(str(c) for c in (*chosen.earlier, chosen.cell)),
                                 cell=chosen.cell))
            if chosen.block:
                notes.append(say("ingest.resolve.in_block", name=written[0], block=chosen.block,
                                 cell=chosen.cell, line=chosen.block_line))
            # A later attempt that could not be read leaves this one graded: say so.
            for later in chosen.unread_later[-MAX_UNREAD_NOTES:]:
                notes.append(say("ingest.resolve.unread_later", name=written[0], cell=later.cell,
                                 problem=describe(later.problem), graded=chosen.cell))
            if notes:
                resolution.notes[item] = " ".join(notes)
        elif candidates:
            resolution.unavailable[item] = _why_not(definitions[candidates[0]])
        elif lost := [(n, unread[n][-1]) for n in [item, *aliases.get(item, [])] if n in unread]:
            name, last = lost[0]
            resolution.unavailable[item] = say("ingest.resolve.unread_missing", name=name,
                                               cell=last.cell, problem=describe(last.problem))
        else:
            resolution.unavailable[item] = _missing(item, definitions)
    return resolution


def _usable(definition: Definition) -> bool:
    return definition.kind in CALLABLE_KINDS and definition.imported_from is None


def _why_not(definition: Definition) -> str:
    if definition.imported_from is not None:
        return say("ingest.resolve.imported", name=definition.name, module=definition.imported_from)
    return say("ingest.resolve.not_callable", name=definition.name, cell=definition.cell,
               line=definition.line)


def _missing(item: str, definitions: dict[str, Definition]) -> str:
    star = [d.imported_from for d in definitions.values() if d.name == "*"]
    if star:
        return say("ingest.resolve.missing_star_import", name=item, module=star[-1])
    own = [name for name, d in definitions.items() if _usable(d)]
    # Case is the classic slip (`Softmax`), so compare folded; the cutoff keeps sibling
    # layers (`AddLayer` for `MulLayer`) out of the suggestions.
    folded = {name.lower(): name for name in own}
    close = difflib.get_close_matches(item.lower(), list(folded), n=3, cutoff=0.75)
    if not close:
        return say("ingest.resolve.missing", name=item)
    return say("ingest.resolve.missing_did_you_mean", name=item,
               suggestions=", ".join(f"`{folded[c]}`" for c in close))

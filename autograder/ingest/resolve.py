"""Match the book's item names to what the student defined, or say why an item cannot be graded.

An item is found under its book name, then its aliases; one found under neither is looked
for by shape among the notebook's other definitions (match.py), when the caller gives the
items' reference shapes. A missing item's message says what ingest knows: the name only
made by skipped code (an instance, a loop), a star import, a near name, several equal
candidates, and the notebook's functions and classes that were not graded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from autograder.ingest.explain import close_names, instance_of_class, shadowed, written_cell
from autograder.ingest.match import Fit, match_shapes, similarity
from autograder.ingest.model import Definition, Shape, Skipped, Unread
from autograder.ingest.unread import describe
from autograder.feedback import Message, Part, msg

GRADABLE_KINDS = {"function", "class", "lambda", "alias"}   # what a student wrote and can be called
# Notes about later definitions that could not be read, per item, at most.
MAX_UNREAD_NOTES = 3
# A missing item's message lists this many of the notebook's other definitions, at most.
MAX_LISTED = 6


@dataclass
class Resolution:
    """Which of the student's names each item is graded as, and what to tell about it.

    Every message is one Part per item: several things said about one item (a renamed
    function that was also redefined) are one message that joins them in order
    (`ingest.resolve.joined`, see `joined`), so an edge renders an item's note in one go."""
    bindings: dict[str, str] = field(default_factory=dict)
    unavailable: dict[str, Part] = field(default_factory=dict)   # item -> why it cannot be graded
    notes: dict[str, Part] = field(default_factory=dict)         # item -> how it was found
    # Items the book has as functions that the student made an instance or a class.
    not_functions: set[str] = field(default_factory=set)


def resolve_items(definitions: dict[str, Definition], items: list[str],
                  aliases: dict[str, list[str]] | None = None,
                  unread: dict[str, tuple[Unread, ...]] | None = None,
                  shapes: Mapping[str, Shape] | None = None,
                  skipped: Mapping[str, Skipped] | None = None) -> Resolution:
    """`unread` (IngestResult.unread) lets a missing item say the cell it was in could not be
    read; `shapes` (each item's reference shape) lets a missing item be found by shape;
    `skipped` (IngestResult.skipped) says where skipped code would have bound a name."""
    aliases = aliases or {}
    unread = unread or {}
    skipped = skipped or {}
    resolution = Resolution()
    missing = []
    for item in items:
        names = [item, *aliases.get(item, [])]
        candidates = [n for n in names if n in definitions]
        written = [n for n in candidates if _usable(definitions[n])]
        if written and (wrong := _class_for_function(definitions[written[0]], item,
                                                     (shapes or {}).get(item))):
            resolution.unavailable[item] = wrong
            resolution.not_functions.add(item)
        elif written:
            _bind(resolution, item, definitions[written[0]], skipped, definitions)
        elif candidates:
            resolution.unavailable[item] = _why_not(definitions[candidates[0]])
        elif lost := [(n, unread[n][-1]) for n in names if n in unread]:
            name, last = lost[0]
            resolution.unavailable[item] = msg("ingest.resolve.unread_missing", name=name,
                                               cell=last.cell, problem=describe(last.problem))
        else:
            missing.append(item)
    reserved = {n for item in items for n in [item, *aliases.get(item, [])]}
    matches = match_shapes(definitions, missing, shapes or {},
                           {item: [item, *aliases.get(item, [])] for item in items},
                           reserved | set(resolution.bindings.values()))
    for item in missing:
        if fit := matches.bound.get(item):
            _bind(resolution, item, definitions[fit.candidate], skipped, definitions, fit)
    for item in missing:
        if item in resolution.bindings:
            continue
        if wrong := _instance_for_function(item, [item, *aliases.get(item, [])], definitions,
                                           skipped, (shapes or {}).get(item)):
            resolution.unavailable[item] = wrong
            resolution.not_functions.add(item)
        else:
            resolution.unavailable[item] = _missing(item, [item, *aliases.get(item, [])],
                                                    definitions, skipped,
                                                    matches.several.get(item, ()),
                                                    set(resolution.bindings.values()),
                                                    (shapes or {}).get(item))
    return resolution


def _bind(resolution: Resolution, item: str, chosen: Definition, skipped: Mapping[str, Skipped],
          definitions: Mapping[str, Definition], fit: Fit | None = None) -> None:
    name = chosen.name
    resolution.bindings[item] = name
    notes = []
    if fit is not None:
        notes.append(msg(f"ingest.match.{fit.by}", student=name, book=item,
                         shape=signature(chosen)))
    elif name != item:
        notes.append(msg("ingest.resolve.alias_note", student=name, book=item))
    if chosen.earlier:
        notes.append(msg("ingest.resolve.redefined", name=name,
                         cells=", ".join(str(c) for c in (*chosen.earlier, chosen.cell)),
                         cell=chosen.cell))
    if chosen.block:
        notes.append(msg("ingest.resolve.in_block", name=name, block=chosen.block,
                         cell=chosen.cell, line=chosen.block_line))
    # A later attempt that could not be read leaves this one graded: say so.
    for later in chosen.unread_later[-MAX_UNREAD_NOTES:]:
        notes.append(msg("ingest.resolve.unread_later", name=name, cell=later.cell,
                         problem=describe(later.problem), graded=chosen.cell))
    if (rebound := instance_of_class(skipped.get(name), definitions)) \
            and (rebound.cell, rebound.line) > (chosen.cell, chosen.line):
        # Grading never runs `SimpleNet = SimpleNet()`, so the class is graded; the
        # student's own notebook has lost it after that line, which is worth knowing.
        notes.append(msg("ingest.resolve.rebound_instance", name=name, call=rebound.call,
                         cell=rebound.cell, line=rebound.line))
    if notes:
        resolution.notes[item] = joined(notes)


def joined(parts: list[Part]) -> Part:
    """Several messages as one, said one after the other."""
    first, *rest = parts
    return msg("ingest.resolve.joined", first=first, rest=joined(rest)) if rest else first


def _usage(item: str, shape: Shape) -> str:
    return f"{item}({', '.join(shape.params.names)})"


def _class_for_function(chosen: Definition, item: str, shape: Shape | None) -> Message | None:
    """The message for a class where the book has a function (`class XOR` whose constructor
    takes the inputs): calling it makes an object, never the answer; None otherwise."""
    if shape is None or shape.kind != "function" or chosen.shape is None or chosen.shape.kind != "class":
        return None
    renamed = f"{chosen.name}Class"
    args = ", ".join(shape.params.names)
    methods = dict(chosen.shape.methods)
    if chosen.shape.params.accepts(len(shape.params.names), len(shape.params.names)):
        # The constructor takes the inputs: one method with no arguments gives the answer.
        method = next((m for m, p in methods.items() if p.required == 0), "")
        call = f"{renamed}({args})" + (f".{method}()" if method else "")
    else:
        method = next((m for m, p in methods.items() if p.accepts(len(shape.params.names),
                                                                    len(shape.params.names))), "")
        call = f"{renamed}().{method}({args})" if method else f"{renamed}()({args})"
    return msg("ingest.resolve.class_for_function", name=chosen.name, cell=chosen.cell,
               line=chosen.line, usage=_usage(item, shape), renamed=renamed,
               wrapper=f"def {item}({args}): return {call}")


def _instance_for_function(item: str, names: list[str], definitions: Mapping[str, Definition],
                           skipped: Mapping[str, Skipped], shape: Shape | None) -> Message | None:
    """The message for `AND = LogicGate(...)` where the book has a function `AND(x1, x2)`:
    what the item must be, and how to wrap the instance; None otherwise."""
    if shape is None or shape.kind != "function":
        return None
    for name in names:
        binding = instance_of_class(skipped.get(name), definitions)
        if binding is None:
            continue
        cls = definitions[binding.call].shape
        args = ", ".join(shape.params.names)
        count = len(shape.params.names)
        method = next((m for m, p in (cls.methods if cls else ()) if p.accepts(count, count)), "")
        instance = f"{name.lower()}_{binding.call.lower()}"
        return msg("ingest.resolve.instance_for_function", name=name, call=binding.call,
                   cell=binding.cell, line=binding.line, usage=_usage(item, shape),
                   instance=f"{instance} = {binding.call}(...)",
                   wrapper=f"def {item}({args}): return {instance}{'.' + method if method else ''}({args})")
    return None


def _usable(definition: Definition) -> bool:
    return definition.kind in GRADABLE_KINDS and definition.imported_from is None


def _why_not(definition: Definition) -> Message:
    if shadowed(definition):
        return msg("ingest.resolve.shadowed", name=definition.name, cell=written_cell(definition),
                   import_cell=definition.cell, module=definition.imported_from)
    if definition.imported_from is not None:
        return msg("ingest.resolve.imported", name=definition.name, module=definition.imported_from)
    return msg("ingest.resolve.not_callable", name=definition.name, cell=definition.cell,
               line=definition.line)


def _missing(item: str, names: list[str], definitions: Mapping[str, Definition],
             skipped: Mapping[str, Skipped], several: tuple[str, ...], bound: set[str],
             shape: Shape | None) -> Part:
    if several:
        return msg("ingest.match.several", name=item,
                   candidates=", ".join(f"`{n}`" for n in several))
    message = _missing_name(item, names, definitions, skipped, bound)
    listed = [signature(d) for d in _unmatched(definitions, bound, shape)]
    if listed:
        shown = ", ".join(f"`{s}`" for s in listed[:MAX_LISTED])
        message = joined([message, msg("ingest.resolve.unmatched",
                                       listing=shown + (", ..." if len(listed) > MAX_LISTED else ""))])
    return message


def _unmatched(definitions: Mapping[str, Definition], bound: set[str],
               shape: Shape | None) -> list[Definition]:
    """The student's functions and classes graded as nothing: with the item's shape known,
    those of its kind only, the ones that could be called like it first."""
    pool = [d for d in definitions.values() if d.shape is not None and _usable(d)
            and d.name not in bound and not d.name.startswith("_")]
    if shape is None:
        return pool
    pool = [d for d in pool if d.shape.kind == shape.kind]
    return sorted(pool, key=lambda d: similarity(shape, d.shape) is None)


def _missing_name(item: str, names: list[str], definitions: Mapping[str, Definition],
                  skipped: Mapping[str, Skipped], bound: set[str]) -> Message:
    for name in names:
        if (binding := skipped.get(name)) is None:
            continue
        if instance_of_class(binding, definitions):
            return msg("ingest.resolve.instance", name=name, call=binding.call,
                       cell=binding.cell, line=binding.line)
        return msg("ingest.resolve.only_skipped", name=name, cell=binding.cell,
                   line=binding.line, kind=binding.kind)
    star = [d.imported_from for d in definitions.values() if d.name == "*"]
    if star:
        return msg("ingest.resolve.missing_star_import", name=item, module=star[-1])
    # A name graded as another item is not this one (`numerical_gradient` for numerical_diff);
    # the cutoff keeps sibling layers (`AddLayer` for `MulLayer`) out of the suggestions.
    close = close_names(item, [n for n, d in definitions.items() if _usable(d) and n not in bound])
    if not close:
        return msg("ingest.resolve.missing", name=item)
    return msg("ingest.resolve.missing_did_you_mean", name=item,
               suggestions=", ".join(f"`{c}`" for c in close))


def signature(definition: Definition) -> str:
    """`gd(f, init_x, lr=, step_num=)`, or `Linear(W, b): forward, backward` for a class."""
    shape = definition.shape
    if shape is None:
        return definition.name
    text = f"{definition.name}({shape.params.text})"
    if shape.kind == "class" and shape.methods:
        text += ": " + ", ".join(name for name, _ in shape.methods)
    return text

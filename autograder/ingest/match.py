"""Find an item missing under its name and aliases among the notebook's other definitions.

Real notebooks name things their own way (`gd`, `Linear`, `AdamOptimizer`). An item that
resolve.py cannot find is looked for by shape: a function's parameters (names and how
many), a class's methods and __init__ parameters, compared with the reference's own
(`Shape`, from inspect), so a new chapter needs no table here. The match is conservative:

- a candidate is a function, lambda or class the student wrote, that is neither bound to
  another item nor another item's name or alias, nor a private helper (`_name`);
- it fits by structure only where the item's shape is its own in the chapter (ch03's
  five activations all take `x`: their shape says nothing) and shares at least two
  parameters or a method; or it fits by name (`gd` is gradient_descent's initials,
  `num_grad`, `MaxPooling`) where its structure is compatible;
- it is bound only when it is the item's best fit by a clear margin and the item is its
  own best fit too; equal fits are reported as several candidates, and none is bound.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from autograder.ingest.model import Definition, Params, Shape

FIT = 0.8  # structure similarity at which two shapes count as the same
NAME_FIT = 0.75  # name similarity at which two names count as the same
MARGIN = 0.25  # how far a best fit must lead the next one
CANDIDATE_KINDS = {"function": "function", "lambda": "function", "class": "class"}
# Words that say nothing about what a definition computes; `layer` is one because every
# chapter-5 item is a layer, and `function` because `function_1` is the book's test function.
FILLER = {"my", "fn", "func", "function", "impl", "custom", "new", "v", "ver", "version",
          "layer", "class", "test", "tmp", "temp", "ex", "the"}
WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
MAX_BASES = 8  # notebook base classes followed, at most (a cycle must end)


@dataclass(frozen=True)
class Fit:
    candidate: str
    score: float
    by: str  # params, methods or name: what made it fit


@dataclass
class ShapeMatches:
    bound: dict[str, Fit] = field(default_factory=dict)  # item -> the definition graded for it
    several: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item -> equal fits


def match_shapes(definitions: Mapping[str, Definition], missing: Iterable[str],
                 shapes: Mapping[str, Shape], names: Mapping[str, list[str]],
                 reserved: set[str]) -> ShapeMatches:
    """`shapes` holds every item's reference shape (for which shapes are distinctive),
    `names` every item's book name and aliases, `reserved` the names not to take."""
    pool = {name: _effective(d, definitions) for name, d in definitions.items()
            if d.kind in CANDIDATE_KINDS and d.imported_from is None and d.shape is not None
            and name not in reserved and not name.startswith("_") and not _stray_method(d.shape)}
    fits = {item: _fits(item, shapes, names.get(item, [item]), pool)
            for item in missing if item in shapes}
    best_item: dict[str, list[tuple[float, str]]] = {}
    for item, found in fits.items():
        for fit in found:
            best_item.setdefault(fit.candidate, []).append((fit.score, item))
    matches = ShapeMatches()
    for item, found in fits.items():
        # A candidate that fits another item clearly better is that item's, not this one's.
        own = [f for f in found if _leads(best_item[f.candidate], item)]
        if not own:
            continue
        own.sort(key=lambda f: (-f.score, f.candidate))
        if len(own) == 1 or own[0].score - own[1].score >= MARGIN:
            matches.bound[item] = own[0]
        else:
            matches.several[item] = tuple(f.candidate for f in own
                                          if own[0].score - f.score < MARGIN)
    return matches


def _stray_method(shape: Shape) -> bool:
    """`def loss(self, x, t)` at the top level: a method that lost its class, not a function."""
    return shape.kind == "function" and shape.params.names[:1] == ("self",)


def _leads(scores: list[tuple[float, str]], item: str) -> bool:
    mine = max(s for s, i in scores if i == item)
    return all(mine - s >= MARGIN for s, i in scores if i != item)


def _fits(item: str, shapes: Mapping[str, Shape], names: list[str],
          pool: Mapping[str, Shape]) -> list[Fit]:
    wanted = shapes[item]
    distinctive = all(max(similarity(wanted, other) or 0.0, similarity(other, wanted) or 0.0) < FIT
                      for name, other in shapes.items() if name != item and other.kind == wanted.kind)
    found = []
    for candidate, shape in pool.items():
        structure = similarity(wanted, shape) if shape.kind == wanted.kind else None
        if structure is None:
            continue
        by_structure = distinctive and structure >= FIT and _shares_enough(wanted, shape)
        close = max(name_similarity(candidate, n) for n in names)
        if by_structure or close >= NAME_FIT:
            by = "name" if not by_structure else "methods" if wanted.kind == "class" else "params"
            found.append(Fit(candidate, structure + (close if close >= NAME_FIT else 0.0), by))
    return found


def similarity(item: Shape, candidate: Shape) -> float | None:
    """How alike two shapes are, in [0, 1]; None when `candidate` cannot stand in for `item`
    (a call the item accepts would not fit it, or a class lacks most of its methods)."""
    if not candidate.params.accepts(item.params.required, len(item.params.names)):
        return None
    if item.kind == "function":
        return _param_similarity(item.params, candidate.params)
    theirs = dict(candidate.methods)
    common = [(p, theirs[m]) for m, p in item.methods if m in theirs]
    coverage = len(common) / len(item.methods) if item.methods else 1.0
    if coverage < 0.5:
        return None
    methods = sum(_param_similarity(a, b) for a, b in common) / len(common) if common else 1.0
    return coverage * (_param_similarity(item.params, candidate.params) + methods) / 2


def _param_similarity(a: Params, b: Params) -> float:
    if not a.names and not b.names:
        return 1.0
    shared = {n.lower() for n in a.names} & {n.lower() for n in b.names}
    return len(shared) / max(len(a.names), len(b.names))


def _shares_enough(item: Shape, candidate: Shape) -> bool:
    """Structure alone is evidence only with something to compare: two parameters, or a method."""
    if item.kind == "class":
        return any(m in dict(candidate.methods) for m, _ in item.methods)
    return len({n.lower() for n in item.params.names}
               & {n.lower() for n in candidate.params.names}) >= 2


def _effective(definition: Definition, definitions: Mapping[str, Definition]) -> Shape:
    """A class with its notebook bases' methods (and __init__, when it has none of its own)."""
    shape = definition.shape
    seen = {definition.name}
    todo = list(shape.bases)
    methods, params, inherits = dict(shape.methods), shape.params, shape.inherits_init
    while todo and len(seen) <= MAX_BASES:
        base = definitions.get(todo.pop(0))
        if base is None or base.kind != "class" or base.shape is None or base.name in seen:
            continue
        seen.add(base.name)
        methods = {**dict(base.shape.methods), **methods}
        if inherits:
            params, inherits = base.shape.params, base.shape.inherits_init
        todo += base.shape.bases
    return Shape(shape.kind, params, tuple(methods.items()), shape.bases, inherits)


def words(name: str) -> list[str]:
    """`SimpleConvNet` -> simple, conv, net; `num_grad2` -> num, grad, 2 (lower case)."""
    return [w.lower() for w in WORD.findall(name)]


def name_similarity(candidate: str, book: str) -> float:
    """How much of `book`'s words `candidate` covers, in [0, 1]: the same word, a prefix of
    three letters or more (`num` numerical, `conv` convolution), or initials (`gd`, `mse`).
    Zero when most of the candidate's own words cover nothing (`relu_plot_test_v2`)."""
    if _folded(candidate) == _folded(book):
        return 1.0
    mine = [w for w in words(candidate) if w not in FILLER and not w.isdigit()]
    theirs = [w for w in words(book) if w not in FILLER and not w.isdigit()]
    if not mine or not theirs:
        return 0.0
    covered: set[int] = set()
    used = 0
    for word in mine:
        hit = {i for i, w in enumerate(theirs) if _same_word(word, w)} | _initials(word, theirs)
        covered |= hit
        used += bool(hit)
    if used * 2 < len(mine):
        return 0.0
    return len(covered) / len(theirs)


def _folded(name: str) -> str:
    return name.replace("_", "").lower()


def _same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 3 and long.startswith(short))


def _initials(word: str, theirs: list[str]) -> set[int]:
    """Indices of a run of two or more of `theirs` whose first letters spell `word`."""
    for start in range(len(theirs)):
        end = start + len(word)
        if len(word) >= 2 and end <= len(theirs) \
                and "".join(w[0] for w in theirs[start:end]) == word:
            return set(range(start, end))
    return set()

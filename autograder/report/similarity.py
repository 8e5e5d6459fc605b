"""Pairs of submissions whose graded code is the same up to names, comments, formatting
and the order of definitions: a flag for the instructor to look at, never a verdict.

Each item's code (GradingResult.item_sources) is parsed and normalised: docstrings go
(comments and layout never reach the AST), every name the code binds itself (arguments,
locals, the function's own name) becomes v0, v1, ... by order of first appearance, and
a class's methods are sorted. Names it only reads (np, len, a global) stay, so
`np.sum(x)` and `np.max(x)` still differ. Literal data (a list of more than 32 constants,
a string of more than 200 characters, a huge integer) becomes one short summary of its
size and digest, so pasted-in weights weigh like one value. Two items match when their
normalised code is identical, or nearly so by difflib over its tokens. Items too small to
tell anyone apart (`def identity_function(x): return x`) and forms most of the class
share (the book's own code, typed in), or nearly share, do not count.

Cost: a class is never compared pair by pair. Identical forms are grouped; near ones are
found by MinHash over token 4-grams with banded locality-sensitive hashing, so only forms
that share a band (and whose signatures agree on enough of their hashes) meet difflib,
and that on at most MAX_TOKENS tokens. An item that cannot be normalised (too deep, too
big, does not parse) is left out and listed in the report, never the class.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..result import GradingResult
from ..text import one_line

MIN_NODES = 25            # an item's normalised AST must be at least this big to count
NEAR = 0.95               # token similarity counted as the same code
MIN_SCORE = 0.5           # share of comparable items that must match to flag a pair
MIN_SHARED = 2            # ... and at least this many items
COMMON_SHARE = 1 / 3      # a form more than this share of the class has is not evidence
COMMON_MIN_CLASS = 4      # ... judged only in classes at least this big
MAX_PAIRS = 200

LONG_LITERAL = 32         # constants in one list/tuple/set/dict display kept as written
LONG_STRING = 200         # characters of one string (or bytes) constant kept as written
BIG_INT_BITS = 128        # an integer literal wider than this is summarised
MAX_DEPTH = 100           # AST depth normalised (ast.unparse recurses; real code is < 30)
MAX_CODE = 256 * 1024     # characters of one item's code looked at (results keep 20 KiB)
MAX_TOKENS = 3000         # tokens of one form difflib compares
MAX_WORK = 2_000_000      # difflib's first-pass steps before it skips popular tokens

SHINGLE = 4               # tokens per k-gram hashed
BANDS, ROWS = 32, 4       # LSH bands x hashes per band: forms of Jaccard 0.6 meet at 99%
MIN_AGREE = 0.4           # share of MinHash values two candidates must have in common
_TOKENS = re.compile(r"\w+|[^\w\s]")


class Unusable(Exception):
    """An item's code that cannot be normalised; `reason` says why, in one word."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Skipped:
    """One item left out of the comparison: `reason` is syntax, size, depth or error."""
    student_id: str
    assignment: str
    item: str
    reason: str


@dataclass
class SimilarityReport:
    pairs: list[dict] = field(default_factory=list)       # as similar_pairs returns them
    skipped: list[Skipped] = field(default_factory=list)
    candidates: int = 0   # pairs of distinct near forms the hashing proposed
    compared: int = 0     # ... of which difflib's full ratio() was computed


# --- normalisation ---------------------------------------------------------------------

def _bound_names(tree: ast.AST) -> list[str]:
    """Names the code binds itself, in order of first appearance."""
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            seen.setdefault(node.name)
        elif isinstance(node, ast.arg):
            seen.setdefault(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            seen.setdefault(node.id)
        elif isinstance(node, ast.alias):
            seen.setdefault((node.asname or node.name).split(".")[0])
    return list(seen)


def _rename(tree: ast.AST, names: dict[str, str]) -> None:
    # ast.walk is a loop, not a recursion: any depth the parser accepted is renamed.
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = names.get(node.id, node.id)
        elif isinstance(node, ast.arg):
            node.arg = names.get(node.arg, node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.name = names.get(node.name, node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            node.names = [names.get(n, n) for n in node.names]


def _drop_docstrings(nodes: list[ast.AST]) -> int:
    """Drops every docstring; returns how many nodes that took out of the tree."""
    removed = 0
    for node in nodes:
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
            removed += 2 - (not body[1:])
    return removed


def _constant_bytes(value: object) -> bytes:
    # hex(), unlike str(), has no digit limit for the integer literals Python accepts.
    if isinstance(value, int) and not isinstance(value, bool):
        return b"i" + hex(value).encode()
    if isinstance(value, (str, bytes)):
        raw = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        return type(value).__name__.encode() + len(raw).to_bytes(8, "little") + raw
    return repr(value).encode("utf-8", "surrogatepass")


def _summary(kind: str, size: int, data: bytes) -> str:
    return f"<{kind} {size} {hashlib.blake2b(data, digest_size=6).hexdigest()}>"


def _literal_leaves(nodes: list[ast.AST]) -> dict[int, int]:
    """For every node that is pure literal data (constants, signs, displays of them), the
    number of constants in it. `nodes` is breadth-first, so reversed it has children first."""
    leaves: dict[int, int] = {}
    for node in reversed(nodes):
        if isinstance(node, ast.Constant):
            leaves[id(node)] = 1
        elif isinstance(node, ast.UnaryOp) and id(node.operand) in leaves:
            leaves[id(node)] = leaves[id(node.operand)]
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)) and all(id(e) in leaves for e in node.elts):
            leaves[id(node)] = sum(leaves[id(e)] for e in node.elts)
        elif (isinstance(node, ast.Dict) and all(k is not None and id(k) in leaves for k in node.keys)
              and all(id(v) in leaves for v in node.values)):
            leaves[id(node)] = sum(leaves[id(k)] for k in node.keys) + sum(leaves[id(v)] for v in node.values)
    return leaves


def _literal_bytes(node: ast.AST) -> bytes:
    """Pure literal data as bytes to digest, in source order, without recursion."""
    parts, todo = [], [node]
    while todo:
        part = todo.pop()
        if isinstance(part, ast.Constant):
            parts.append(_constant_bytes(part.value))
            continue
        parts.append(type(part).__name__.encode())
        if isinstance(part, ast.UnaryOp):
            parts.append(type(part.op).__name__.encode())
            todo.append(part.operand)
        elif isinstance(part, ast.Dict):
            todo.extend(reversed([x for kv in zip(part.keys, part.values) for x in kv]))
        else:
            todo.extend(reversed(part.elts))
        parts.append(b"(")
    return b"\x00".join(parts)


def _collapsed(node: ast.AST, leaves: dict[int, int]) -> ast.AST | None:
    """The summary that stands for `node` when it is long literal data, else None (a long
    string or huge integer constant is summarised in place)."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, (str, bytes)) and len(v) > LONG_STRING:
            # Still a str: it may sit inside an f-string, where only str may.
            node.value = _summary(type(v).__name__, len(v), _constant_bytes(v))
        elif isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > BIG_INT_BITS:
            node.value = _summary("int", v.bit_length(), _constant_bytes(v))
    elif (isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict))
          and leaves.get(id(node), 0) > LONG_LITERAL):
        return ast.Constant(_summary(type(node).__name__.lower(), leaves[id(node)], _literal_bytes(node)))
    return None


def _collapse_literals(tree: ast.AST, leaves: dict[int, int]) -> int:
    """Long literal data becomes one constant naming its kind, size and digest: a pasted-in
    weight matrix is one value to compare, not 20,000 tokens (and not a quadratic difflib).
    Returns the depth of the tree that is left."""
    deepest, todo = 0, [(tree, 1)]
    while todo:
        node, depth = todo.pop()
        deepest = max(deepest, depth)
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        summary = _collapsed(child, leaves)
                        if summary is None:
                            todo.append((child, depth + 1))
                        else:
                            value[i] = summary
            elif isinstance(value, ast.AST):
                summary = _collapsed(value, leaves)
                if summary is None:
                    todo.append((value, depth + 1))
                else:
                    setattr(node, name, summary)
    return deepest


def _canonical(node: ast.AST, keep: set[str] = frozenset()) -> str:
    """One definition's code with its own names renamed by order of first appearance."""
    names = [n for n in _bound_names(node) if n not in keep]
    _rename(node, {name: f"v{i}" for i, name in enumerate(names)})
    return ast.unparse(node)


def _attribute_names(statement: ast.stmt) -> set[str]:
    """The names a statement in a class body binds as attributes (methods, `ORDERS = ...`)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    targets = statement.targets if isinstance(statement, ast.Assign) else \
        [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def canonical_form(code: str) -> str | None:
    """The canonical form of one item's code; None when it is too small to tell anyone
    apart. Raises Unusable when the code cannot be normalised, and nothing else."""
    if len(code) > MAX_CODE:
        raise Unusable("size")
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        raise Unusable("syntax") from None
    except (RecursionError, MemoryError):   # the parser's own limits on nesting
        raise Unusable("depth") from None
    try:
        nodes = list(ast.walk(tree))
        if len(nodes) - _drop_docstrings(nodes) < MIN_NODES:
            return None
        depth = _collapse_literals(tree, _literal_leaves(nodes))
        del nodes
        if depth > MAX_DEPTH:
            raise Unusable("depth")
        parts = []
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                # Methods and class attributes are reached as attributes: their names stay,
                # their order does not count.
                methods = sorted(_canonical(m, _attribute_names(m)) for m in node.body)
                node.body = []
                parts.append(_canonical(node).rstrip() + "\n" + "\n".join(methods))
            else:
                parts.append(_canonical(node))
        return "\n".join(sorted(parts))
    except Unusable:
        raise
    except (RecursionError, MemoryError):
        raise Unusable("depth") from None
    except Exception:   # noqa: BLE001 - ast.unparse's own refusals (an f-string it cannot write back)
        raise Unusable("error") from None


def normalise(code: str) -> str | None:
    """The canonical form of one item's code, or None when it does not parse or is too small."""
    try:
        return canonical_form(code)
    except Unusable:
        return None


# --- near forms: MinHash and banded LSH ------------------------------------------------

_SEEDS = np.random.default_rng(0x5eed).integers(1, 2 ** 62, size=(2, BANDS * ROWS), dtype=np.uint64)
_MULTIPLY = _SEEDS[0] | np.uint64(1)
_ADD = _SEEDS[1]


def _token_id(token: str, known: dict[str, int]) -> int:
    # Stable across runs (str's hash() is not), so a class gets the same pairs every time.
    found = known.get(token)
    if found is None:
        digest = hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        found = known[token] = int.from_bytes(digest, "little")
    return found


def _signature(tokens: tuple[str, ...], known: dict[str, int]) -> np.ndarray:
    """MinHash of the form's set of token 4-grams: BANDS * ROWS values."""
    ids = np.fromiter((_token_id(t, known) for t in tokens), dtype=np.uint64, count=len(tokens))
    width = max(1, len(ids) - SHINGLE + 1)
    grams = np.zeros(width, dtype=np.uint64)
    for j in range(min(SHINGLE, len(ids))):
        grams = grams * np.uint64(1_000_003) + ids[j:j + width]
    grams = np.unique(grams)
    hashed = grams[:, None] * _MULTIPLY[None, :] + _ADD[None, :]
    hashed ^= hashed >> np.uint64(29)
    return hashed.min(axis=0)


def _candidates(signatures: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of forms (row indices) that share a band and agree on enough MinHash values."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = {}
        rows = signatures[:, band * ROWS:(band + 1) * ROWS]
        for index in range(len(signatures)):
            buckets.setdefault(rows[index].tobytes(), []).append(index)
        for members in buckets.values():
            pairs.update(itertools.combinations(members, 2))
    if not pairs:
        return []
    first, second = np.array(sorted(pairs)).T
    agree = (signatures[first] == signatures[second]).mean(axis=1)
    return [(int(a), int(b)) for a, b, share in zip(first, second, agree) if share >= MIN_AGREE]


def _same(a: tuple[str, ...], b: tuple[str, ...], report: SimilarityReport) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
        return False
    # difflib's first pass costs one step per pair of equal tokens; past MAX_WORK (long,
    # repetitive code) its own heuristic that leaves out tokens in over 1% of b bounds it.
    count_b = Counter(b)
    if sum(n * count_b[t] for t, n in Counter(a).items()) > MAX_WORK:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=True)
    report.compared += 1
    return matcher.ratio() >= NEAR


def _item_matches(forms: dict[str, str], limit: float, report: SimilarityReport):
    """Pairs of students (sorted ids) whose forms of one item match, identical or near;
    forms more than `limit` students have, and forms near them, are left out."""
    groups: dict[str, list[str]] = {}
    for student, form in sorted(forms.items()):
        groups.setdefault(form, []).append(student)
    common = {f for f, students in groups.items() if len(students) > limit}
    distinct = sorted(groups)
    tokens = [tuple(_TOKENS.findall(f)[:MAX_TOKENS]) for f in distinct]
    known: dict[str, int] = {}
    signatures = np.array([_signature(t, known) for t in tokens]) if distinct else np.zeros((0, 0))
    candidates = _candidates(signatures)
    report.candidates += len(candidates)
    matched = [(distinct[i], distinct[j]) for i, j in candidates if _same(tokens[i], tokens[j], report)]
    # A near copy of what a third of the class typed in is still the book's code.
    excluded = common | {b for a, b in matched if a in common} | {a for a, b in matched if b in common}
    for form, students in groups.items():
        if form not in excluded:
            yield from itertools.combinations(students, 2)
    for a, b in matched:
        if a not in excluded and b not in excluded:
            yield from (tuple(sorted(p)) for p in itertools.product(groups[a], groups[b]))


def find_similar(results: list[GradingResult]) -> SimilarityReport:
    """Flagged pairs, most similar first, and the items that could not be compared."""
    report = SimilarityReport()
    by_assignment: dict[str, dict[str, dict[str, str]]] = {}
    for result in results:
        if not result.graded or not result.item_sources:
            continue
        assignment = result.provenance.assignment_id or ""
        forms = {}
        for item, source in result.item_sources.items():
            try:
                form = canonical_form(source.code)
            except Unusable as why:
                report.skipped.append(Skipped(result.student_id, assignment, item, why.reason))
                continue
            if form is not None:
                forms[item] = form
        by_assignment.setdefault(assignment, {})[result.student_id] = forms
    pairs = []
    for assignment, students in sorted(by_assignment.items()):
        limit = len(students) * COMMON_SHARE if len(students) >= COMMON_MIN_CLASS else len(students)
        shared: dict[tuple[str, str], list[str]] = {}
        items = sorted({item for forms in students.values() for item in forms})
        for item in items:
            forms = {s: f[item] for s, f in students.items() if item in f}
            for pair in _item_matches(forms, limit, report):
                shared.setdefault(pair, []).append(item)
        for (a, b), matched in sorted(shared.items()):
            comparable = set(students[a]) & set(students[b])
            score = len(matched) / len(comparable)
            if len(matched) >= MIN_SHARED and score >= MIN_SCORE:
                pairs.append({"assignment": assignment, "a": one_line(a), "b": one_line(b),
                              "share": score, "score": f"{100 * score:.0f}% ({len(matched)}/{len(comparable)})",
                              "items": ", ".join(sorted(matched))})
    pairs.sort(key=lambda p: (-p["share"], p["a"], p["b"]))
    report.pairs = pairs[:MAX_PAIRS]
    return report


def similar_pairs(results: list[GradingResult]) -> list[dict]:
    """Flagged pairs, most similar first: {"a", "b", "score", "items", "assignment"}."""
    return find_similar(results).pairs

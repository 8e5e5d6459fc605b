"""Pairs of submissions whose graded code is the same up to names, comments, formatting
and the order of definitions: a flag for the instructor to look at, never a verdict.

Each item's code (GradingResult.item_sources) is parsed and normalised: docstrings go
(comments and layout never reach the AST), every name the code binds itself (arguments,
locals, the function's own name) becomes v0, v1, ... by order of first appearance, and
a class's methods are sorted. Names it only reads (np, len, a global) stay, so
`np.sum(x)` and `np.max(x)` still differ. Two items match when their normalised code is
identical, or nearly so by difflib over its tokens. Items too small to tell anyone apart
(`def identity_function(x): return x`) and forms most of the class share (the book's
own code, typed in) do not count.
"""

from __future__ import annotations

import ast
import difflib
import itertools
import re
from collections import Counter

from ..result import GradingResult
from ..text import one_line

MIN_NODES = 25            # an item's normalised AST must be at least this big to count
NEAR = 0.95               # token similarity counted as the same code
MIN_SCORE = 0.5           # share of comparable items that must match to flag a pair
MIN_SHARED = 2            # ... and at least this many items
COMMON_SHARE = 1 / 3      # a form more than this share of the class has is not evidence
COMMON_MIN_CLASS = 4      # ... judged only in classes at least this big
MAX_PAIRS = 200
_TOKENS = re.compile(r"\w+|[^\w\s]")


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


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]):
        self.names = names

    def _fix(self, node, attr):
        setattr(node, attr, self.names.get(getattr(node, attr), getattr(node, attr)))
        return self.generic_visit(node)

    def visit_Name(self, node):
        return self._fix(node, "id")

    def visit_arg(self, node):
        return self._fix(node, "arg")

    def visit_FunctionDef(self, node):
        return self._fix(node, "name")

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef


def _drop_docstrings(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]


def _canonical(node: ast.AST, keep: set[str] = frozenset()) -> str:
    """One definition's code with its own names renamed by order of first appearance."""
    names = [n for n in _bound_names(node) if n not in keep]
    _Rename({name: f"v{i}" for i, name in enumerate(names)}).visit(node)
    return ast.unparse(node)


def _attribute_names(statement: ast.stmt) -> set[str]:
    """The names a statement in a class body binds as attributes (methods, `ORDERS = ...`)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    targets = statement.targets if isinstance(statement, ast.Assign) else \
        [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def normalise(code: str) -> str | None:
    """The canonical form of one item's code, or None when it does not parse or is too small."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    _drop_docstrings(tree)
    if sum(1 for _ in ast.walk(tree)) < MIN_NODES:
        return None
    parts = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            # Methods and class attributes are reached as attributes: their names stay, their
            # order does not count.
            methods = sorted(_canonical(m, _attribute_names(m)) for m in node.body)
            node.body = []
            parts.append(_canonical(node).rstrip() + "\n" + "\n".join(methods))
        else:
            parts.append(_canonical(node))
    return "\n".join(sorted(parts))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    matcher = difflib.SequenceMatcher(None, _TOKENS.findall(a), _TOKENS.findall(b), autojunk=False)
    # Every pair of a class meets here (500 students: 125,000 pairs an item): the two cheap
    # upper bounds of ratio() turn most pairs away before the quadratic comparison.
    return (matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR
            and matcher.ratio() >= NEAR)


def similar_pairs(results: list[GradingResult]) -> list[dict]:
    """Flagged pairs, most similar first: {"a", "b", "score", "items", "assignment"}."""
    by_assignment: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for result in results:
        if not result.graded or not result.item_sources:
            continue
        forms = {item: form for item, s in result.item_sources.items()
                 if (form := normalise(s.code)) is not None}
        by_assignment.setdefault(result.provenance.assignment_id or "", []).append(
            (result.student_id, forms))
    pairs = []
    for assignment, students in sorted(by_assignment.items()):
        common = Counter((item, form) for _, forms in students for item, form in forms.items())
        limit = len(students) * COMMON_SHARE if len(students) >= COMMON_MIN_CLASS else len(students)
        for (a, fa), (b, fb) in itertools.combinations(sorted(students), 2):
            comparable = sorted(set(fa) & set(fb))
            shared = [item for item in comparable if _same(fa[item], fb[item])
                      and not (fa[item] == fb[item] and common[(item, fa[item])] > limit)]
            if not comparable or len(shared) < MIN_SHARED:
                continue
            score = len(shared) / len(comparable)
            if score >= MIN_SCORE:
                pairs.append({"assignment": assignment, "a": one_line(a), "b": one_line(b),
                              "share": score, "score": f"{100 * score:.0f}% ({len(shared)}/{len(comparable)})",
                              "items": ", ".join(shared)})
    pairs.sort(key=lambda p: (-p["share"], p["a"], p["b"]))
    return pairs[:MAX_PAIRS]

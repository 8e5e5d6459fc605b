"""One item's code as a canonical form: the same text for code that differs only in the
names it binds, comments, docstrings, layout, the order of a class's methods and the
literal data it carries (report/similarity.py compares these forms across a class).

Every name the code binds itself (arguments, locals, the function's own name) becomes
v0, v1, ... by order of first appearance; names it only reads (np, len, a global) stay, so
`np.sum(x)` and `np.max(x)` still differ. Literal data (a list of more than 32 constants,
a string of more than 200 characters, a huge integer) becomes one short summary of its
size and digest, so pasted-in weights weigh like one value. The walk is iterative and
bounded: code that cannot be normalised raises Unusable with a one-word reason, never
anything else.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass

MIN_NODES = 25            # an item's normalised AST must be at least this big to count
LONG_LITERAL = 32         # constants in one list/tuple/set/dict display kept as written
LONG_STRING = 200         # characters of one string (or bytes) constant kept as written
BIG_INT_BITS = 128        # an integer literal wider than this is summarised
MAX_DEPTH = 100           # AST depth normalised (ast.unparse recurses; real code is < 30)
MAX_CODE = 256 * 1024     # characters of one item's code looked at (results keep 20 KiB)


class Unusable(Exception):
    """An item's code that cannot be normalised; `reason` says why, in one word."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


@dataclass(frozen=True)
class Form:
    """canonical_form's answer as data, to carry from the worker that computed it: the
    form (None: too small to tell anyone apart), or why there is none (Unusable's reason)."""
    form: str | None = None
    unusable: str | None = None

    def value(self) -> str | None:
        if self.unusable is not None:
            raise Unusable(self.unusable)
        return self.form


def form_of(code: str) -> Form:
    try:
        return Form(canonical_form(code))
    except Unusable as why:
        return Form(unusable=why.reason)


def forms_of(sources) -> dict[str, Form]:
    """Each item source's code -> its Form: a submission's share of the similarity pass,
    computed where the submission was graded (`sources`: result.item_sources' values)."""
    return {source.code: form_of(source.code) for source in sources}

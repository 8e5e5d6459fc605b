"""What one statement defines if the student module keeps it, by the rules of `keep`.

Kept: imports, def/class, lambda assignments, aliases of kept names, and constants
built only from literals, kept names and pure numeric calls (`usable` holds the names
such a constant may build on). Everything else is skipped; `skip_kind` names it for the
report and `rebound_names` says which usable names it would have changed.
"""

from __future__ import annotations

import ast

from autograder.ingest.model import Definition
from autograder.ingest.shape import shape_of_node

# Modules whose functions compute a value from their arguments and nothing else.
NUMERIC_MODULES = {"numpy", "math"}
PURE_BUILTINS = {"range", "len", "int", "float", "bool", "str", "list", "tuple", "dict", "set",
                 "abs", "min", "max", "round", "sum", "zip", "enumerate", "sorted", "reversed"}
# Bindings another name can alias (a name bound to one of these is an alias, not a constant).
ALIASABLE_KINDS = {"function", "class", "lambda", "alias", "import"}
# The students' local checker (student_template/dlfs_check) runs on their own machine; a
# published notebook's check cell imports it, and grading neither needs nor reports it.
LOCAL_ONLY_MODULES = {"dlfs_check"}
SKIP_KIND = {"AsyncFor": "for", "AsyncWith": "with", "TryStar": "try", "Delete": "del",
             "AnnAssign": "assign", "ImportFrom": "future_import"}


def bindings(stmt: ast.stmt, cell: int, usable: dict[str, Definition]) -> list[Definition] | None:
    """The definitions a simple statement or def/class makes if it is kept, or None to skip it."""
    at = {"cell": cell, "line": stmt.lineno}
    if is_local_check(stmt):
        return None
    if isinstance(stmt, ast.Import):
        return [Definition(a.asname or a.name.split(".")[0], "import", imported_from=a.name, **at)
                for a in stmt.names]
    if isinstance(stmt, ast.ImportFrom):
        if stmt.module == "__future__":
            return None
        module = "." * stmt.level + (stmt.module or "")
        return [Definition(a.asname or a.name, "import", imported_from=module, **at)
                for a in stmt.names]
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [Definition(stmt.name, "function", shape=shape_of_node(stmt), **at)]
    if isinstance(stmt, ast.ClassDef):
        return [Definition(stmt.name, "class", shape=shape_of_node(stmt), **at)]
    if isinstance(stmt, ast.Assign):
        return _assignment(stmt.targets, stmt.value, at, usable)
    if isinstance(stmt, ast.AnnAssign) and stmt.value is not None and stmt.simple:
        return _assignment([stmt.target], stmt.value, at, usable)
    if (isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name)
            and usable.get(stmt.target.id, _NONE).kind == "constant"
            and is_constant(stmt.value, usable)):
        return [Definition(stmt.target.id, "constant", **at)]
    return None


_NONE = Definition("", "", 0, 0)


def _assignment(targets: list[ast.expr], value: ast.expr, at: dict,
                usable: dict[str, Definition]) -> list[Definition] | None:
    names = _target_names(targets)
    if names is None:
        return None
    simple = all(isinstance(t, ast.Name) for t in targets)
    if isinstance(value, ast.Lambda) and simple:
        return [Definition(n, "lambda", shape=shape_of_node(value), **at) for n in names]
    if isinstance(value, ast.Name) and value.id in usable and simple:
        source = usable[value.id]
        kind = "alias" if source.kind in ALIASABLE_KINDS else "constant"
        return [Definition(n, kind, imported_from=source.imported_from, target=value.id, **at)
                for n in names]
    if not is_constant(value, usable):
        return None
    origin = _imported_chain(value, usable)
    if origin and simple:
        # `softmax = cf.softmax`: could be a function, and it was not written here.
        return [Definition(n, "alias", imported_from=origin, **at) for n in names]
    return [Definition(n, "constant", **at) for n in names]


def _target_names(targets: list[ast.expr]) -> list[str] | None:
    names: list[str] = []
    for target in targets:
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)) and all(
                isinstance(e, ast.Name) for e in target.elts):
            names += [e.id for e in target.elts]
        else:
            # Subscript or attribute targets change an object; that is not a definition.
            return None
    return names


def is_constant(node: ast.AST | None, usable: dict[str, Definition]) -> bool:
    """Built from literals, kept names and pure numeric calls only?"""
    if node is None:
        return True
    match node:
        case ast.Constant():
            return True
        case ast.Name(id=name):
            return name in usable
        case ast.List(elts=items) | ast.Tuple(elts=items) | ast.Set(elts=items):
            return all(is_constant(e, usable) for e in items)
        case ast.Dict(keys=keys, values=values):
            return all(is_constant(e, usable) for e in keys + values)
        case ast.BinOp(left=left, right=right):
            return is_constant(left, usable) and is_constant(right, usable)
        case ast.UnaryOp(operand=operand) | ast.Starred(value=operand):
            return is_constant(operand, usable)
        case ast.BoolOp(values=values):
            return all(is_constant(e, usable) for e in values)
        case ast.Compare(left=left, comparators=rest):
            return all(is_constant(e, usable) for e in [left, *rest])
        case ast.IfExp(test=test, body=body, orelse=orelse):
            return all(is_constant(e, usable) for e in (test, body, orelse))
        case ast.Subscript(value=value, slice=index):
            return is_constant(value, usable) and is_constant(index, usable)
        case ast.Slice(lower=lower, upper=upper, step=step):
            return all(is_constant(e, usable) for e in (lower, upper, step))
        case ast.JoinedStr(values=values):
            return all(is_constant(e, usable) for e in values)
        case ast.FormattedValue(value=value, format_spec=spec):
            return is_constant(value, usable) and is_constant(spec, usable)
        case ast.Attribute(value=value):
            return is_constant(value, usable)
        case ast.Call(func=func, args=args, keywords=keywords):
            return (_pure_callee(func, usable) and all(is_constant(a, usable) for a in args)
                    and all(is_constant(k.value, usable) for k in keywords))
    return False


def _pure_callee(func: ast.expr, usable: dict[str, Definition]) -> bool:
    if isinstance(func, ast.Name):
        known = usable.get(func.id)
        if known is None:
            return func.id in PURE_BUILTINS
        return _is_numeric_import(known)
    root = func
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name):
        known = usable.get(root.id)
        # A method of a kept value (`W.reshape(2, 3)`) is data work, not student code.
        return known is not None and (_is_numeric_import(known) or known.kind == "constant")
    return root is not func and is_constant(root, usable)


def _is_numeric_import(definition: Definition) -> bool:
    return (definition.kind == "import"
            and (definition.imported_from or "").split(".")[0] in NUMERIC_MODULES)


def _imported_chain(node: ast.expr, usable: dict[str, Definition]) -> str | None:
    """For `cf.softmax` with `cf` imported: where the value came from."""
    if not isinstance(node, ast.Attribute):
        return None
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    known = usable.get(node.id) if isinstance(node, ast.Name) else None
    if known is None or known.kind != "import":
        return None
    return ".".join([known.imported_from or node.id, *reversed(parts[1:])])


def _local_only(stmt: ast.Import | ast.ImportFrom) -> bool:
    modules = [a.name for a in stmt.names] if isinstance(stmt, ast.Import) else [stmt.module or ""]
    return any(m.split(".")[0] in LOCAL_ONLY_MODULES for m in modules)


def is_local_check(stmt: ast.stmt) -> bool:
    """A local-only import, or a try statement whose body makes one: the published check
    cell (`try: ... from dlfs_check import ...` / `except ImportError: print(...)`) is the
    student's own check, skipped whole rather than opened like a student's try block."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return _local_only(stmt)
    return isinstance(stmt, (ast.Try, ast.TryStar)) and any(
        isinstance(inner, (ast.Import, ast.ImportFrom)) and _local_only(inner) for inner in stmt.body)


def skip_kind(stmt: ast.stmt) -> str:
    if is_local_check(stmt):
        return "local_check"
    if isinstance(stmt, ast.Expr):
        return "call" if isinstance(stmt.value, ast.Call) else "expr"
    name = type(stmt).__name__
    return SKIP_KIND.get(name, name.lower())


def calls_get_ipython(stmt: ast.stmt) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
               and n.func.id == "get_ipython" for n in ast.walk(stmt))


def rebound_names(node: ast.AST) -> set[str]:
    names: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(child.name)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            names.add(child.id)
        elif isinstance(child, ast.alias):
            names.add((child.asname or child.name).split(".")[0])
        elif not isinstance(child, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                                    ast.GeneratorExp)):
            names |= rebound_names(child)
    return names

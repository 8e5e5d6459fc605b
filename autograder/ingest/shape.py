"""The shape of a function or class, read from a student's source or from a reference object.

Shape matching (match.py) compares the two, so both sides are described by the same
typed `Shape`: a function's parameters, or a class's __init__ parameters, its public
methods with theirs, and its bases by name. The student's side is read from the tree
(nothing of theirs runs here); the reference's side comes from `inspect`, on objects the
caller imported, so this module imports no chapter.
"""

from __future__ import annotations

import ast
import inspect

from autograder.ingest.model import Params, Shape

POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
# Methods a class defines this many of at most are recorded (a generated class can hold thousands).
MAX_METHODS = 64


def shape_of_node(node: ast.AST) -> Shape | None:
    """A `def`, `lambda` or `class` as the student wrote it; None for anything else."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return Shape("function", _params(node.args))
    if not isinstance(node, ast.ClassDef):
        return None
    init, methods, own_init = Params(), [], False
    for stmt in node.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in stmt.decorator_list)
        params = _params(stmt.args, drop_first=not static)
        if stmt.name == "__init__":
            init, own_init = params, True
        elif not stmt.name.startswith("_") and len(methods) < MAX_METHODS:
            methods = [(n, p) for n, p in methods if n != stmt.name] + [(stmt.name, params)]
    bases = tuple(b.id for b in node.bases if isinstance(b, ast.Name))
    inherits = not own_init and bool(node.bases)
    # An inherited __init__ takes what its base takes: unknown here, so anything.
    return Shape("class", Params(variadic=True) if inherits else init, tuple(methods), bases,
                 inherits_init=inherits)


def _params(args: ast.arguments, drop_first: bool = False) -> Params:
    names = [a.arg for a in args.posonlyargs + args.args]
    required = len(names) - len(args.defaults)
    if drop_first and names:
        names, required = names[1:], max(required - 1, 0)
    return Params(tuple(names), required, args.vararg is not None or args.kwarg is not None)


def shape_of_object(obj) -> Shape | None:
    """A reference function or class, by inspection; None when it is neither."""
    if inspect.isclass(obj):
        methods = []
        for name in dir(obj):
            attr = inspect.getattr_static(obj, name, None)
            if name.startswith("_") or not isinstance(attr, (staticmethod, classmethod)) \
                    and not inspect.isfunction(attr):
                continue
            methods.append((name, _signature(getattr(obj, name))))
        return Shape("class", _signature(obj), tuple(methods))
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return Shape("function", _signature(obj))
    return None


def _signature(obj) -> Params:
    """Parameters as a call sees them (inspect drops self from classes and bound methods;
    a plain function taken from a class keeps it, so it is dropped here)."""
    try:
        parameters = list(inspect.signature(obj).parameters.values())
    except (TypeError, ValueError):
        return Params(variadic=True)
    if inspect.isfunction(obj) and parameters and parameters[0].name == "self":
        parameters = parameters[1:]
    names = tuple(p.name for p in parameters if p.kind in POSITIONAL)
    required = sum(1 for p in parameters if p.kind in POSITIONAL and p.default is p.empty)
    return Params(names, required, any(p.kind in VARIADIC for p in parameters))

"""Why a name the student's code uses is not there: the hint for a NameError.

Every NameError used to get one hint (top-level code was skipped). Ingest knows more,
and the pipeline hands it over as a `NotebookSummary`, so the hint can say which cause
it is, most specific first:

- the name is defined in a cell whose loading stopped before reaching it;
- it is defined in a cell that could not be read (a syntax error), named with its line;
- only top-level code that grading does not run makes it (the old hint, with the place);
- the student wrote it under another name (`ce_loss` for cross_entropy_error);
- it is a slip of a parameter or local name of the function that raised (`out1` for
  `out`, `params` for the parameter `param`): did you mean, naming which;
- a near name of the notebook (`cross_entropy_eror`): did you mean;
- a star import that failed in grading (`from common.functions import *`) would have
  brought it, as far as the book's module is known to export it (an unknown module is
  never blamed for a name);
- it is defined nowhere: each notebook is graded on its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..ingest.explain import close_names, shadowed, written_cell
from ..ingest.model import Definition, IngestResult, Skipped, Unread
from ..ingest.unread import describe
from ..feedback import Message, cell_of, msg

NAME_ERROR = re.compile(r"name '([^'\s]{1,200})' is not defined")
# Names that are a module by convention, with the import that makes them: numpy is the
# one package grading has, so "define `np` here" would be the wrong advice.
MODULE_NAMES = {"np": "import numpy as np", "numpy": "import numpy"}
# Cells named in one hint, at most.
MAX_CELLS = 5
# What the book's own modules define, for `from <module> import *` (its last part is
# enough: students copy `from functions import *` as often as `common.functions`).
BOOK_EXPORTS = {
    "functions": {"identity_function", "step_function", "sigmoid", "sigmoid_grad", "relu",
                  "relu_grad", "softmax", "sum_squared_error", "mean_squared_error",
                  "cross_entropy_error", "softmax_loss"},
    "layers": {"Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "Dropout", "BatchNormalization",
               "Convolution", "Pooling"},
    "gradient": {"numerical_gradient", "_numerical_gradient_1d", "numerical_gradient_2d",
                 "_numerical_gradient_no_batch"},
    "util": {"smooth_curve", "shuffle_dataset", "conv_output_size", "im2col", "col2im"},
    "optimizer": {"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"},
    "multi_layer_net": {"MultiLayerNet"},
    "multi_layer_net_extend": {"MultiLayerNetExtend"},
    "trainer": {"Trainer"},
    "mnist": {"load_mnist", "init_mnist"},
    "two_layer_net": {"TwoLayerNet"},
    "simple_convnet": {"SimpleConvNet"},
}


@dataclass(frozen=True)
class NotebookSummary:
    """What ingest (and loading the module) learned about one notebook, for explaining
    what the student's code could not find while a hidden test ran."""

    definitions: Mapping[str, Definition] = field(default_factory=dict)
    skipped: Mapping[str, Skipped] = field(default_factory=dict)
    unread: Mapping[str, tuple[Unread, ...]] = field(default_factory=dict)
    # Every book name and alias of a graded item -> the student's name graded for it.
    graded: Mapping[str, str] = field(default_factory=dict)
    # Cells left out because they do not compile, with the line of the error.
    broken_cells: tuple[tuple[int, int], ...] = ()
    # Cells whose loading stopped: cell -> (line, "ExcType: message").
    load_errors: Mapping[int, tuple[int, str]] = field(default_factory=dict)
    # Star imports that failed in grading: (cell, module).
    failed_star_imports: tuple[tuple[int, str], ...] = ()
    # The graded blocks' (label, source): read again only when a NameError needs scopes.
    blocks: tuple[tuple[str, str], ...] = ()

    @cached_property
    def scopes(self) -> Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Each function's and method's qualified name -> (its parameters, its other local
        names). Parsed on first use: most notebooks raise no NameError, and parsing every
        block again costs more than the rest of a passing suite's bookkeeping."""
        return scopes_of(self.blocks)


def summarize(ingest: IngestResult, graded: Mapping[str, str],
              load_errors: Mapping[int, tuple[int, str]] | None = None,
              failed_imports: tuple[tuple[str, str], ...] = ()) -> NotebookSummary:
    """`failed_imports` are (block label, statement) pairs of the imports that failed."""
    stars = []
    for label, statement in failed_imports:
        match = re.fullmatch(r"from\s+([\w.]+)\s+import\s+\*", statement.strip())
        cell = cell_of(label)
        if match and cell is not None:
            stars.append((cell, match.group(1)))
    return NotebookSummary(ingest.definitions, ingest.skipped, ingest.unread, dict(graded),
                           tuple((c, line) for c, line, _ in ingest.report.syntax_errors),
                           dict(load_errors or {}), tuple(stars), tuple(ingest.blocks))


def scopes_of(blocks) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Qualified name (as a traceback gives it) -> (parameters, other names bound inside)
    for every def in the graded blocks; a later def of the same name wins, as it does."""
    scopes: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qualname = prefix + child.name
                args = child.args
                params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
                params += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
                bound = {n.id for n in ast.walk(child) if isinstance(n, ast.Name)
                         and isinstance(n.ctx, ast.Store)}
                bound |= {n.name for n in ast.walk(child) if n is not child and isinstance(
                    n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
                scopes[qualname] = (tuple(params), tuple(sorted(bound - set(params))))
                visit(child, qualname + ".<locals>.")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            elif not isinstance(child, ast.Lambda):
                visit(child, prefix)

    for _, source in blocks:
        try:
            visit(ast.parse(source), "")
        except (SyntaxError, ValueError, RecursionError):
            continue  # a block that does not parse here defines nothing graded
    return scopes


def name_error_hint(message: str, notebook: NotebookSummary, frames: tuple = ()) -> Message | None:
    """The hint for a NameError whose message (Python's, "name 'x' is not defined") is
    `message`, raised in the student's `frames` (outermost first); None when nothing more
    is known."""
    match = NAME_ERROR.search(message)
    return explain_name(match.group(1), notebook, frames[-1][2] if frames else "") if match else None


def explain_name(name: str, notebook: NotebookSummary, function: str = "") -> Message:
    definition = notebook.definitions.get(name)
    if definition is not None:
        return _defined_yet_missing(definition, notebook)
    if name in notebook.unread:
        last = notebook.unread[name][-1]
        return msg("grading.cause.unread", name=name, cell=last.cell, problem=describe(last.problem))
    if (binding := notebook.skipped.get(name)) is not None:
        return msg("grading.cause.skipped", name=name, cell=binding.cell, line=binding.line,
                   kind=binding.kind, advice=msg("hint.name_undefined"))
    graded = notebook.graded.get(name)
    if graded and graded != name:
        return msg("grading.cause.did_you_mean", name=name, suggestion=graded)
    if hint := _local_slip(name, function, notebook):
        return hint
    # Any kept name, constants too: `w1` for `W1` is the same slip as `Softmax`.
    kept = [n for n in notebook.definitions if not n.startswith("* ")]
    if close := close_names(name, kept, cutoff=0.8):
        return msg("grading.cause.did_you_mean", name=name, suggestion=close[0])
    for cell, module in reversed(notebook.failed_star_imports):
        # Only a module known to define the name is blamed: any other guess would send
        # the student after an import that could never have helped.
        if name in BOOK_EXPORTS.get(module.rsplit(".", 1)[-1], ()):
            return msg("grading.cause.star_import", name=name, cell=cell, module=module)
    if notebook.broken_cells:
        cells = ", ".join(str(c) for c, _ in notebook.broken_cells[:MAX_CELLS])
        return msg("grading.cause.nowhere_readable", name=name, cells=cells)
    if name in MODULE_NAMES:
        return msg("grading.cause.not_imported", name=name, statement=MODULE_NAMES[name])
    return msg("grading.cause.nowhere", name=name)


def _local_slip(name: str, function: str, notebook: NotebookSummary) -> Message | None:
    """Did you mean a parameter or local of `function`, the one that raised (`out1`, `out`)?"""
    params, bound = notebook.scopes.get(function, ((), ()))
    for names, key in ((params, "grading.cause.param_slip"), (bound, "grading.cause.local_slip")):
        if close := [c for c in close_names(name, names, cutoff=0.75) if c != name]:
            shown = function.replace(".<locals>.", ".")
            return msg(key, name=name, function=shown, suggestion=close[0])
    return None


def _defined_yet_missing(definition: Definition, notebook: NotebookSummary) -> Message:
    """A name ingest kept that was still not there when the student's code ran."""
    if shadowed(definition):
        return msg("ingest.resolve.shadowed", name=definition.name, cell=written_cell(definition),
                   import_cell=definition.cell, module=definition.imported_from)
    failed = notebook.load_errors.get(definition.cell)
    if failed is not None and failed[0] < definition.line:
        return msg("grading.cause.load_failed", name=definition.name, cell=definition.cell,
                   line=definition.line, failed_line=failed[0], error=failed[1])
    return msg("hint.name_undefined")

"""ClearSolutions: every `### BEGIN SOLUTION` ... `### END SOLUTION` region becomes a stub.

In code, a region becomes `# YOUR CODE HERE` and, where it is (part of) a function body,
`raise NotImplementedError()`, so an untouched function says it is not implemented. At
the top level or in a class body the raise is left out: there it would stop the cell
before the stubs below it are defined. In markdown, a region becomes `YOUR ANSWER HERE`.
The markers are nbgrader's, so an nbgrader source notebook publishes as it is.
"""

from __future__ import annotations

import ast

from nbconvert.preprocessors import Preprocessor

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = "# YOUR CODE HERE"
RAISE_STUB = "raise NotImplementedError()"
MARKDOWN_STUB = "YOUR ANSWER HERE"


class SolutionMarkerError(ValueError):
    """Unbalanced or nested markers; the message names the cell and line."""


def _regions(lines: list[str], where: str) -> list[tuple[int, int]]:
    """(begin, end) line indexes of each region, markers included."""
    found, begin = [], None
    for n, line in enumerate(lines):
        text = line.strip()
        if text.startswith(BEGIN):
            if begin is not None:
                raise SolutionMarkerError(f"{where}, line {n + 1}: BEGIN SOLUTION inside a region")
            begin = n
        elif text.startswith(END):
            if begin is None:
                raise SolutionMarkerError(f"{where}, line {n + 1}: END SOLUTION without BEGIN")
            found.append((begin, n))
            begin = None
    if begin is not None:
        raise SolutionMarkerError(f"{where}, line {begin + 1}: BEGIN SOLUTION is never ended")
    return found


def stub_code(source: str, where: str = "cell") -> str:
    lines = source.split("\n")
    out: list[str] = []
    raises: list[int] = []          # 1-based lines of the raise statements in `out`
    cursor = 0
    for begin, end in _regions(lines, where):
        out += lines[cursor:begin]
        indent = lines[begin][:len(lines[begin]) - len(lines[begin].lstrip())]
        out.append(indent + CODE_STUB)
        out.append(indent + RAISE_STUB)
        raises.append(len(out))
        cursor = end + 1
    out += lines[cursor:]
    outside = _raises_outside_functions(out, raises)
    dropped = "\n".join(line for n, line in enumerate(out, start=1) if n not in outside)
    if _parses(dropped) or not _parses("\n".join(out)):
        return dropped
    # A region that was a whole block outside a function (an `if` at the top level):
    # the block still needs a statement, and one that does not raise.
    return "\n".join(line.replace(RAISE_STUB, "pass") if n in outside else line
                     for n, line in enumerate(out, start=1))


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def _raises_outside_functions(lines: list[str], raises: list[int]) -> set[int]:
    """Which of the inserted raise lines sit at module or class level (to be dropped)."""
    if not raises:
        return set()
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        # A cell with magics or an author's typo: keep the raise inside indented code only.
        return {n for n in raises if not lines[n - 1][:1].isspace()}
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function.update(range(node.body[0].lineno, node.end_lineno + 1))
    return {n for n in raises if n not in in_function}


def stub_markdown(source: str, where: str = "cell") -> str:
    lines = source.split("\n")
    out, cursor = [], 0
    for begin, end in _regions(lines, where):
        out += lines[cursor:begin] + [MARKDOWN_STUB]
        cursor = end + 1
    return "\n".join(out + lines[cursor:])


class ClearSolutions(Preprocessor):
    def preprocess_cell(self, cell, resources, index):
        where = f"cell {index + 1}"
        if cell.cell_type == "code":
            cell.source = stub_code(cell.source, where)
        elif cell.cell_type == "markdown":
            cell.source = stub_markdown(cell.source, where)
        return cell, resources

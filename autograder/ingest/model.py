"""The shapes ingest hands on: cells moving through the steps, and what comes out."""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field

from autograder.feedback import Message, Part
from autograder.feedback.message import part_from_data
from autograder.messages import SaidError


def split_lines(text: str) -> list[str]:
    """Lines as Python's tokenizer counts them: str.splitlines also breaks on form feeds,
    U+2028 and others that can sit inside a comment or a string, which would move code."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


class IngestError(SaidError):
    """This submission cannot be read at all; `code` is stable, `message` (a catalog
    message) is for the student."""

    def __init__(self, code: str, message: Message):
        self.code = code
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.code}: {super().__str__()}"


@dataclass(frozen=True)
class CellProblem:
    """Why a cell was left out without being read; the cell's problem, not the notebook's."""

    reason: str  # syntax_error, not_text, too_deep, too_complex, too_large
    line: int  # where, as far as it is known (1 when it is the whole cell)
    detail: str  # Python's message, or a short description in English


@dataclass(frozen=True)
class Unread:
    """A name a left-out cell appears to define (a top-level `def`, `class` or lambda line)."""

    cell: int
    line: int
    problem: CellProblem


@dataclass(frozen=True)
class Params:
    """A callable's parameters as a caller sees them: the positional names in order
    (without self), how many of them need a value, and whether *args/**kwargs take more."""

    names: tuple[str, ...] = ()
    required: int = 0
    variadic: bool = False

    def accepts(self, low: int, high: int) -> bool:
        """Can it be called with some count of positional arguments in [low, high]?"""
        return self.required <= high and (self.variadic or len(self.names) >= low)

    @property
    def text(self) -> str:
        names = [n if i < self.required else f"{n}=" for i, n in enumerate(self.names)]
        return ", ".join(names + (["..."] if self.variadic else []))


@dataclass(frozen=True)
class Shape:
    """What shape matching compares: a function's parameters, or a class's __init__
    parameters and public methods. Built from the student's source (ingest) and from the
    reference objects (inspect), so both sides are described the same way."""

    kind: str  # function or class
    params: Params = Params()  # the function's, or the class's __init__'s
    methods: tuple[tuple[str, Params], ...] = ()  # a class's public methods, in order
    bases: tuple[str, ...] = ()  # a class's bases, by name (a notebook base adds methods)
    inherits_init: bool = False  # a class with bases and no __init__ of its own


@dataclass(frozen=True)
class Skipped:
    """Where a skipped top-level statement would have bound a name (grading never runs it)."""

    cell: int
    line: int
    kind: str  # the skip kind the report counts: assign, for, call, ...
    call: str = ""  # `name = Something(...)`: the called name (an instance, if a class)


@dataclass(frozen=True)
class Definition:
    """A top-level name the kept module binds, where the student bound it last."""

    name: str
    kind: str  # function, class, lambda, import, constant, alias
    cell: int
    line: int
    imported_from: str | None = None
    target: str | None = None  # for an alias: the name it points at
    earlier: tuple[int, ...] = ()  # cells that defined this name before, in order
    block: str = ""  # "if", "try" or "with": found inside that top-level block ...
    block_line: int = 0  # ... which starts on this line of the same cell
    unread_later: tuple[Unread, ...] = ()  # later cells that redefine it but could not be read
    shape: Shape | None = None  # for a function, lambda or class: what shape matching reads
    replaced: str = ""  # the kind of the definition this one replaced (an import over a def)


@dataclass(frozen=True)
class Edit:
    """Replace the source from (line, col) up to (end_line, end_col) with `text`.

    Columns count UTF-8 bytes, as the ast module's offsets do."""

    line: int
    col: int
    end_line: int
    end_col: int
    text: str


@dataclass
class Cell:
    """One code cell on its way through the steps; `number` counts every cell, from 1."""

    number: int
    source: str
    tree: ast.Module | None = None
    kept: list[ast.stmt] = field(default_factory=list)
    # Edits inside kept top-level blocks (skipped inner statements, guarded imports, headers).
    edits: list[Edit] = field(default_factory=list)
    emitted: str = ""
    dropped: bool = False
    problem: CellProblem | None = None  # set when the cell was left out unread

    @property
    def label(self) -> str:
        return f"cell {self.number}"


@dataclass
class IngestReport:
    format: str = ""
    encoding: str = ""
    cells_total: int = 0
    cells_code: int = 0
    magics_stripped: int = 0
    syntax_errors: list[tuple[int, int, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[Part] = field(default_factory=list)   # catalog messages, said by an edge

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def to_dict(self) -> dict:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "cells_total": self.cells_total,
            "cells_code": self.cells_code,
            "magics_stripped": self.magics_stripped,
            "syntax_errors": [list(e) for e in self.syntax_errors],
            "skipped_total": self.skipped_total,
            "skipped": dict(sorted(self.skipped.items())),
            "warnings": [w.to_data() for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict) -> IngestReport:
        """The inverse of to_dict (skipped_total is derived, so it is not read back)."""
        return cls(format=data.get("format", ""), encoding=data.get("encoding", ""),
                   cells_total=data.get("cells_total", 0), cells_code=data.get("cells_code", 0),
                   magics_stripped=data.get("magics_stripped", 0),
                   syntax_errors=[tuple(e) for e in data.get("syntax_errors", [])],
                   skipped=Counter(data.get("skipped", {})),
                   # an older run stored its warnings as sentences: they read back verbatim
                   warnings=[part_from_data(w) for w in data.get("warnings", [])])


@dataclass
class IngestContext:
    """State shared by the cell steps, in cell order."""

    report: IngestReport
    definitions: dict[str, Definition] = field(default_factory=dict)
    # Names a later constant may build on: bound by a kept statement and not since
    # rebound by a skipped one (whose value the kept module would not have).
    usable: dict[str, Definition] = field(default_factory=dict)
    # Names only left-out cells define (no readable definition came before them).
    unread: dict[str, tuple[Unread, ...]] = field(default_factory=dict)
    # The last skipped statement that would have bound each name.
    skipped: dict[str, Skipped] = field(default_factory=dict)


@dataclass
class IngestResult:
    blocks: list[tuple[str, str]]
    definitions: dict[str, Definition]
    metadata: dict
    report: IngestReport
    # Names written only in cells that could not be read: resolve_items(unread=...) says so.
    unread: dict[str, tuple[Unread, ...]] = field(default_factory=dict)
    # The last skipped statement binding each name, before or after any kept definition of
    # it: where a NameError's name would have come from, or a class rebound to an instance.
    skipped: dict[str, Skipped] = field(default_factory=dict)
    # Each block's label -> the notebook cell it came from (the grader's own blocks have none),
    # so a block's error is placed by its cell without reading the label back.
    block_cells: dict[str, int] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return "".join(src if src.endswith("\n") else src + "\n" for _, src in self.blocks)

    def locate(self, module_line: int) -> tuple[str, int]:
        """Map a line of `source` back to (block label, line in that block)."""
        start = 1
        for label, src in self.blocks:
            count = len(split_lines(src)) or 1
            if module_line < start + count:
                return label, module_line - start + 1
            start += count
        raise ValueError(f"line {module_line} is past the end of the module")

"""What one test has to say when it does not pass, as data.

The headline says what went wrong; the call's inputs, what it returned and what was
expected are descriptions of values (type, shape, dtype, a preview: the same in every
language); `details` are further lines (the worst index, a traceback, the item to fix
first); `where` is the student's cell and line when the failure happened in their code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .message import Part, Verbatim, part_from_data


# A cell number longer than this is not a notebook's: a label forged by student code.
_CELL_DIGITS = 6


def cell_of(label: str) -> int | None:
    """The notebook cell a block label names: ingest labels a cell's block "cell 7", and a
    traceback frame's filename is that label in brackets ("<cell 7>"). None for anything
    else (the grader's own blocks). The one place a cell number is read from a label."""
    if label.startswith("<") and label.endswith(">"):
        label = label[1:-1]
    word, _, number = label.partition(" ")
    if word == "cell" and number.isascii() and number.isdigit() and len(number) <= _CELL_DIGITS:
        return int(number)
    return None


@dataclass(frozen=True)
class Where:
    """A place in the student's notebook: the code cell's number (as the notebook counts
    them) and the line within it."""
    cell: int | None = None
    line: int | None = None

    def to_data(self) -> dict:
        return {"cell": self.cell, "line": self.line}

    @classmethod
    def of_frames(cls, frames) -> Where | None:
        """Where an exception was raised in the student's cells: the innermost of `frames`
        ((block label, line, qualified name), outermost first, as the sandbox reports them)
        that lies in a notebook cell; None when none does."""
        for label, line, _ in reversed(tuple(frames)):
            if (cell := cell_of(label)) is not None:
                return cls(cell, line or None)
        return None


@dataclass(frozen=True)
class Feedback:
    headline: Part
    inputs: str | None = None
    returned: str | None = None
    expected: str | None = None
    details: tuple[Part, ...] = field(default_factory=tuple)
    where: Where | None = None

    def with_details(self, *parts: Part) -> Feedback:
        return Feedback(self.headline, self.inputs, self.returned, self.expected,
                        self.details + tuple(parts), self.where)

    def to_data(self) -> dict:
        data: dict = {"headline": self.headline.to_data()}
        for name in ("inputs", "returned", "expected"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.details:
            data["details"] = [part.to_data() for part in self.details]
        if self.where is not None:
            data["where"] = self.where.to_data()
        return data

    @classmethod
    def from_data(cls, data) -> Feedback:
        """Read back `to_data`; a bare string (an older run's prose) is one verbatim headline."""
        if isinstance(data, str):
            return cls(Verbatim(data))
        where = data.get("where")
        return cls(part_from_data(data["headline"]), data.get("inputs"), data.get("returned"),
                   data.get("expected"), tuple(part_from_data(p) for p in data.get("details", ())),
                   Where(where.get("cell"), where.get("line")) if where else None)

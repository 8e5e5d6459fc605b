"""What one test has to say when it does not pass, as data.

The headline says what went wrong; the call's inputs, what it returned and what was
expected are descriptions of values (type, shape, dtype, a preview: the same in every
language); `details` are further lines (the worst index, a traceback, the item to fix
first); `where` is the student's cell and line when the failure happened in their code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .message import Part, Verbatim, part_from_data


@dataclass(frozen=True)
class Where:
    """A place in the student's notebook: the code cell's number (as the notebook counts
    them) and the line within it."""
    cell: int | None = None
    line: int | None = None

    def to_data(self) -> dict:
        return {"cell": self.cell, "line": self.line}


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

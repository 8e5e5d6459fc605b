"""A sentence to be said, not yet said: a catalog key and its fields.

A field is a plain value (code, a name, a number: the same in every language) or another
part (a sentence inside a sentence, rendered in the same language). `Verbatim` is text
that is not the grader's to translate: a student's exception message, a traceback, a run
stored by a version that kept prose. Both survive JSON unchanged (`to_data`/`from_data`),
so a stored run renders later in either language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..messages import CATALOG, fields_of, render

Scalar = Union[str, int, float]


@dataclass(frozen=True)
class Verbatim:
    """Text shown as it is, in every language."""
    text: str

    def render(self, lang: str) -> str:
        return self.text

    def to_data(self) -> dict:
        return {"text": self.text}


@dataclass(frozen=True)
class Message:
    """A catalog key and its fields (name, value) in name order."""
    key: str
    fields: tuple[tuple[str, "Field"], ...] = ()

    def field(self, name: str, default=None):
        return next((value for key, value in self.fields if key == name), default)

    def render(self, lang: str) -> str:
        values = {name: render_part(value, lang) for name, value in self.fields}
        entry = CATALOG.get(self.key)
        if entry is None:   # stored by a version whose catalog had this key: say what is known
            return "; ".join([self.key, *(f"{name}={value}" for name, value in values.items())])
        return render(entry[lang], values)

    def to_data(self) -> dict:
        data: dict = {"key": self.key}
        if self.fields:
            data["fields"] = {name: _field_data(value) for name, value in self.fields}
        return data


Part = Union[Message, Verbatim]
Field = Union[Scalar, Message, Verbatim]


def msg(key: str, **fields) -> Message:
    """The message `key` with `fields`; an unknown key or a missing field fails here, where
    the sentence is made, not later on some page."""
    if key not in CATALOG:
        raise KeyError(f"no catalog entry {key!r}")
    missing = fields_of(key) - set(fields)
    if missing:
        raise KeyError(f"{key}: missing field(s) {', '.join(sorted(missing))}")
    return Message(key, tuple(sorted((name, _field(value)) for name, value in fields.items())))


def _field(value) -> Field:
    if isinstance(value, (Message, Verbatim, str, int, float)) and not isinstance(value, bool):
        return value
    return str(value)


def render_part(value, lang: str) -> str:
    """A part or a plain field in `lang`."""
    if isinstance(value, (Message, Verbatim)):
        return value.render(lang)
    return str(value)


def _field_data(value):
    return value.to_data() if isinstance(value, (Message, Verbatim)) else value


def part_from_data(data) -> Part:
    """A part read back from `to_data`; a bare string (what older runs stored) is verbatim."""
    if isinstance(data, str):
        return Verbatim(data)
    if "key" in data:
        return Message(str(data["key"]), tuple(sorted(
            (str(name), _field_from_data(value)) for name, value in data.get("fields", {}).items())))
    return Verbatim(str(data.get("text", "")))


def _field_from_data(value) -> Field:
    return part_from_data(value) if isinstance(value, dict) else value

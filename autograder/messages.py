"""Every sentence a student or instructor reads, in Korean and English, kept in one catalog.

A stage that has something to say builds a message (`feedback.msg(key, **fields)`): the
key and its facts travel and are stored; an edge (a page, results.json, the console)
renders it once, in one language. `say(key, lang, **fields)` is that rendering for an
edge that speaks at once (a console line). The sentences are data:
autograder/catalog/<stage>.toml holds the grader's, one file per pipeline stage (the
key's first part), and each chapter's messages.toml its hints. A key is defined once;
tests render every entry and refuse two entries with the same text.
"""

from __future__ import annotations

import os
import string
import tomllib
from pathlib import Path

from .chapters import MESSAGES_NAME, chapter_dirs
from .josa import resolve

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"

# The languages every catalog entry is written in, and the one of pages and consoles when
# nobody chose one: the course is taught in Korean.
LANGS = ("ko", "en")
DEFAULT_LANG = "ko"
LANG_ENV = "AUTOGRADER_LANG"


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    """TOML tables [hint.name] with ko/en strings -> {"hint.name": {"ko": ..., "en": ...}}."""
    entries = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and set(value) == {"ko", "en"}:
            entries[key] = {"ko": str(value["ko"]), "en": str(value["en"])}
        elif isinstance(value, dict):
            entries.update(_flatten(value, key + "."))
        else:
            raise ValueError(f"{key}: a catalog entry is a table with exactly ko and en")
    return entries


def chapter_entries() -> dict[str, tuple[str, dict[str, str]]]:
    """Every chapter's sentences (its hints), as key -> (file it came from, entry)."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for folder in chapter_dirs():
        path = folder / MESSAGES_NAME
        if path.is_file():
            for key, entry in _flatten(tomllib.loads(path.read_text(encoding="utf-8"))).items():
                if key in found:
                    raise ValueError(f"{path}: catalog key {key} is also in {found[key][0]}")
                found[key] = (str(path), entry)
    return found


def _load() -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOG_DIR.glob("*.toml")):
        for key, entry in _flatten(tomllib.loads(path.read_text(encoding="utf-8"))).items():
            if not key.startswith(path.stem + "."):
                raise ValueError(f"{path}: key {key} belongs in {key.split('.')[0]}.toml")
            catalog[key] = entry
    for key, (path, entry) in chapter_entries().items():
        if key in catalog:
            raise ValueError(f"{path}: catalog key {key} is already defined")
        catalog[key] = entry
    return catalog


CATALOG: dict[str, dict[str, str]] = _load()


def fields_of(key: str) -> set[str]:
    """Placeholder names an entry uses (both languages)."""
    names = set()
    for text in CATALOG[key].values():
        names |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return names


def render(template: str, fields: dict) -> str:
    """One language of an entry with its fields; a Korean particle written in both forms
    ("`{name}`을(를)") becomes the one its word takes (josa.py)."""
    return resolve(template.format(**fields))


def say(key: str, lang: str, **fields) -> str:
    """Entry `key` in `lang` ("ko" or "en") with its fields, for an edge that says it now."""
    return render(CATALOG[key][lang], fields)


def console_lang() -> str:
    """The language of what the grader prints and logs: the CLI's --lang, passed through
    the environment so the worker processes a batch starts speak it too."""
    lang = os.environ.get(LANG_ENV, "")
    return lang if lang in LANGS else DEFAULT_LANG


class SaidError(Exception):
    """An exception whose message is a catalog message (`.message`, kept for whoever
    stores it); str() renders it in the console's language, for a traceback or a log."""

    def __init__(self, message) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        # A plain string is someone's own text (a test's, a library's): said as it is.
        return self.message if isinstance(self.message, str) else self.message.render(console_lang())

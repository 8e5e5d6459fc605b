"""One language out of text the catalog joined as "Korean / English".

Messages reach a GradingResult already rendered by `say()` in both languages (they are
built inside the sandbox run, where the page's language is not known, and results.json
keeps them that way). A page shows one language, so the report takes the joined text
apart here. Splitting on " / " would cut a student's own value in two (a path, a
division in a hint), so nothing is split blindly: every catalog entry's joined form,
`f"{ko} / {en}"` (messages.say guarantees exactly this shape), becomes a pattern whose
fields must capture the same text in both halves; only a span that matches an entry
whole is replaced by the one language asked for. Text no entry matches is left as it
was, both languages, so a page may say too much but never loses a word.
"""

from __future__ import annotations

import functools
import re
import string

from ..grading.causes import cell_number
from ..josa import BOTH_FORMS, pattern as literal_pattern
from ..messages import CATALOG, render

LANGS = ("ko", "en")
_MAX_PASSES = 3          # a sentence may carry another joined sentence as a field


def _pieces(text: str):
    """(literal, field name or None) pairs of a format string."""
    return [(lit, name) for lit, name, _, _ in string.Formatter().parse(text)]


def _half(text: str, seen: set[str], group: str) -> str:
    parts = []
    for literal, name in _pieces(text):
        # Particles were resolved when the sentence was said: match either form.
        parts.append(literal_pattern(literal))
        if name is None:
            continue
        if name in seen:
            parts.append(f"(?P={group}{name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{group}{name}>.*?)")
    return "".join(parts)


@functools.lru_cache(maxsize=None)
def _entries() -> tuple:
    """(literal pieces for a quick test, compiled pattern, entry), longest entries first."""
    found = []
    for key, entry in CATALOG.items():
        ko, en = entry["ko"], entry["en"]
        if ko == en:
            continue       # say() prints such an entry once: nothing to choose
        # The quick test looks only for the pieces between particles, which say() keeps as written.
        literals = tuple(piece for part in (ko, en) for lit, _ in _pieces(part)
                         for piece in BOTH_FORMS.split(lit) if piece.strip())
        seen: set[str] = set()
        pattern = _half(ko, seen, "f_") + re.escape(" / ") + _half(en, seen, "f_")
        found.append((literals, re.compile(pattern, re.DOTALL), entry))
    found.sort(key=lambda e: -sum(map(len, e[0])))
    return tuple(found)


def _fields(match: re.Match) -> dict[str, str]:
    return {name[2:]: value for name, value in match.groupdict().items() if value is not None}


def pick(text: str, lang: str) -> str:
    """`text` with every joined catalog sentence in it reduced to `lang` ("both": as is)."""
    if lang not in LANGS or not text or " / " not in text:
        return text
    for _ in range(_MAX_PASSES):
        before = text
        for literals, pattern, entry in _entries():
            # Cheap test first: every literal piece of both halves must be present.
            if all(lit in text for lit in literals):
                text = pattern.sub(lambda m, e=entry: _render(e[lang], m), text)
        if text == before or " / " not in text:
            break
    return text


def _render(template: str, match: re.Match) -> str:
    fields = _fields(match)
    try:
        return render(template, fields)
    except (KeyError, IndexError, ValueError):
        return match.group(0)


def cell_label(label: str, lang: str) -> str:
    """A block label ("cell 7", ingest's name for a cell) as a page in `lang` says it."""
    number = cell_number(label)
    return f"셀 {number}" if number is not None and lang == "ko" else label

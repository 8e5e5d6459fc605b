"""Every sentence a student or instructor reads, in Korean and English, in one place.

`say(key, **fields)` renders one entry as "Korean / English" (students in these classes
read both; the Korean line comes first). Templates get already-rendered strings.
Entries are grouped by pipeline stage; a test renders every entry with sample fields.
"""

from __future__ import annotations

import string

CATALOG: dict[str, dict[str, str]] = {
    # --- ingest --------------------------------------------------------------
    # --- sandbox -------------------------------------------------------------
    # --- grading -------------------------------------------------------------
    # --- pipeline / cli ------------------------------------------------------
}


def fields_of(key: str) -> set[str]:
    """Placeholder names an entry uses (both languages)."""
    names = set()
    for text in CATALOG[key].values():
        names |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return names


def say(key: str, lang: str = "both", **fields) -> str:
    entry = CATALOG[key]
    if lang != "both":
        return entry[lang].format(**fields)
    ko, en = entry["ko"].format(**fields), entry["en"].format(**fields)
    return en if ko == en else f"{ko} / {en}"

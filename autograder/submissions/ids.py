"""Student ids from names students chose: readable, one safe folder name, never another's.

An id is used as a folder name under OUT, a row in summary.csv and the gradebook, and a
link in the dashboard, so it keeps letters of any script (Korean names stay readable),
digits, '.', '-' and '_', and nothing else. Ids are compared case-insensitively when
looking for collisions, because the output may be copied to a case-insensitive disk.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..text import name_reading

# A safe id never contains this, so the ids given to refused parties of a collision
# ("kim~1", "kim~2") can never be claimed by a name.
REFUSED_MARK = "~"
# ext4 and friends allow 255 bytes per name; leave room for REFUSED_MARK and a number.
MAX_ID_BYTES = 120
FALLBACK_PREFIX = "student-"

# What the output folder holds besides students (today and after per-student folders
# move under OUT/students/), compared case-insensitively.
OUTPUT_NAMES = frozenset({
    "gradebook.sqlite", "gradebook.sqlite-journal", "gradebook.sqlite-wal", "gradebook.sqlite-shm",
    "summary.csv", "dashboard.html", "students", "history",
})
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                             *(f"lpt{n}" for n in range(1, 10))})

_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# \w is Unicode-aware on str patterns: Hangul, Latin, CJK letters and digits stay.
_UNSAFE = re.compile(r"[^\w.\-]+")
_UNDERSCORES = re.compile(r"_{2,}")
_EDGES = "._-"


def _cap(text: str) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= MAX_ID_BYTES:
        return text
    # Cut on a character boundary; a half character would be dropped by "ignore".
    return encoded[:MAX_ID_BYTES].decode("utf-8", "ignore").strip(_EDGES)


def _reserved(text: str) -> bool:
    folded = text.casefold()
    return folded in OUTPUT_NAMES or folded.split(".")[0] in WINDOWS_DEVICES


def safe_id(raw: str) -> str:
    """The id for a file stem or folder name: never empty, reserved, hidden or a path."""
    text = unicodedata.normalize("NFC", name_reading(raw) or raw)
    # Control characters and bidi overrides go first, so a hidden character cannot make
    # a look-alike of someone's name; normalise again once they no longer separate marks.
    # Line breaks and tabs still separate words ("kim\nlee" reads as kim_lee).
    text = "".join(" " if ch.isspace() else ch for ch in text
                   if ch.isspace() or unicodedata.category(ch) not in _DROPPED)
    text = unicodedata.normalize("NFC", text)
    text = _UNDERSCORES.sub("_", _UNSAFE.sub("_", text))
    # No leading dot (hidden, or '..'), no leading dash (an option to every shell tool).
    text = _cap(text.strip(_EDGES))
    if not text:
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        return FALLBACK_PREFIX + digest
    if _reserved(text):
        return FALLBACK_PREFIX + text
    return text


def collision_key(student_id: str) -> str:
    """Two ids with the same key would share a folder somewhere: they collide."""
    return unicodedata.normalize("NFC", student_id.casefold())


def refused_id(student_id: str, number: int) -> str:
    return f"{student_id}{REFUSED_MARK}{number}"

"""Making text a student controls safe in what people open: terminals, spreadsheets, Markdown.

Student ids, exception messages and printed output are the student's words. Each place
they land has its own way of running them: a terminal obeys escape codes, a spreadsheet
runs a cell that starts with "=", Markdown ends a code fence at the first run of backticks
as long as its own. Every writer passes such text through the function for its medium.
"""

from __future__ import annotations

import re
import unicodedata

# Control, format (bidi overrides, zero-width), surrogate, private-use, unassigned, line
# and paragraph separators: none of them belongs in text a person reads as written.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_LINE_BREAKS = re.compile(r"[\t\n\r]+")
# A spreadsheet cell starting with one of these is a formula (OWASP's CSV-injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def printable(text: str, *, lines: bool = True) -> str:
    """`text` with every invisible character (terminal escapes, bidi tricks) shown as '?';
    line breaks and tabs are kept when `lines`, else shown as '?' too."""
    keep = "\n\t" if lines else ""
    return "".join(ch if ch in keep or unicodedata.category(ch) not in INVISIBLE_CATEGORIES
                   else "?" for ch in str(text))


def one_line(text: str) -> str:
    """A single printable line: for table cells, ids and anything a terminal lines up."""
    return printable(_LINE_BREAKS.sub(" ", str(text)), lines=False)


def csv_cell(value) -> object:
    """A CSV value a spreadsheet shows as text, never runs: numbers stay numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = one_line(unicodedata.normalize("NFC", str(value)))
    return "'" + text if text.startswith(_FORMULA_START) else text


def fence(text: str, info: str = "") -> str:
    """A Markdown code block holding `text` verbatim: the fence is longer than any run of
    backticks inside, so the text cannot close it and write headings of its own."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{printable(text)}\n{ticks}"


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, saying how much was left out."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~])")


def md_inline(text: str) -> str:
    """One line of Markdown that shows `text` as written: no heading, link, table or fence
    of the student's can start inside it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


def name_reading(text: str, encodings: tuple[str, ...] = ("utf-8", "cp949")) -> str | None:
    """A name read from disk with undecodable bytes (surrogate-escaped: a zip made on Korean
    Windows, unpacked by `unzip`), read again in the first of `encodings` its bytes fit;
    None when it holds no such byte, or a surrogate no byte stands for, or nothing fits."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return None
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return None
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _surrogate(ch: str) -> bool:
    return "\ud800" <= ch <= "\udfff"


def path_text(text: str) -> str:
    """A file name as text every writer can store: unchanged when it is valid Unicode.

    A name whose bytes were not UTF-8 (a zip made on Korean Windows, unpacked by `unzip`)
    reaches Python with each bad byte as a lone surrogate (surrogateescape), which no UTF-8
    file, JSON document or SQLite column can hold. Each such byte is written as \\xNN, so
    the original bytes can still be told apart, followed by the name read as CP949 when
    that is what it was (what the instructor saw on the student's screen)."""
    text = str(text)
    if not any(_surrogate(ch) for ch in text):
        return text
    escaped = "".join(f"\\x{ord(ch) - 0xdc00:02x}" if "\udc80" <= ch <= "\udcff"
                      else f"\\u{ord(ch):04x}" if _surrogate(ch) else ch for ch in text)
    readable = name_reading(text, ("cp949",))
    return f"{escaped} (cp949: {readable})" if readable is not None else escaped

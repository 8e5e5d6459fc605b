"""Pairs of submissions whose graded code is the same up to names, comments, formatting
and the order of definitions: a flag for the instructor to look at, never a verdict.

Each item's code (GradingResult.item_sources) becomes its canonical form (code_form.py:
names it binds, docstrings, layout, method order and literal data normalised away). Two
items match when their forms are identical, or nearly so by difflib over their tokens.
Items too small to tell anyone apart (`def identity_function(x): return x`) and forms
most of the class share (the book's own code, typed in), or nearly share, do not count.

Cost: a class is never compared pair by pair. Identical forms are grouped; near ones are
found by MinHash over token 4-grams with banded locality-sensitive hashing, so only forms
that share a band (and whose signatures agree on enough of their hashes) meet difflib,
and that on at most MAX_TOKENS tokens. An item that cannot be normalised (too deep, too
big, does not parse) is left out and listed in the report, never the class.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..result import GradingResult
from ..text import one_line
from .code_form import Form, Unusable, canonical_form

NEAR = 0.95               # token similarity counted as the same code
MIN_SCORE = 0.5           # share of comparable items that must match to flag a pair
MIN_SHARED = 2            # ... and at least this many items
COMMON_SHARE = 1 / 3      # a form more than this share of the class has is not evidence
COMMON_MIN_CLASS = 4      # ... judged only in classes at least this big
MAX_PAIRS = 200

MAX_TOKENS = 3000         # tokens of one form difflib compares
MAX_WORK = 2_000_000      # difflib's first-pass steps before it skips popular tokens

SHINGLE = 4               # tokens per k-gram hashed
BANDS, ROWS = 32, 4       # LSH bands x hashes per band: forms of Jaccard 0.6 meet at 99%
MIN_AGREE = 0.4           # share of MinHash values two candidates must have in common
_TOKENS = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Skipped:
    """One item left out of the comparison: `reason` is syntax, size, depth or error."""
    student_id: str
    assignment: str
    item: str
    reason: str


@dataclass
class SimilarityReport:
    pairs: list[dict] = field(default_factory=list)       # as similar_pairs returns them
    skipped: list[Skipped] = field(default_factory=list)
    candidates: int = 0   # pairs of distinct near forms the hashing proposed
    compared: int = 0     # ... of which difflib's full ratio() was computed


# --- near forms: MinHash and banded LSH ------------------------------------------------

_SEEDS = np.random.default_rng(0x5eed).integers(1, 2 ** 62, size=(2, BANDS * ROWS), dtype=np.uint64)
_MULTIPLY = _SEEDS[0] | np.uint64(1)
_ADD = _SEEDS[1]


def _token_id(token: str, known: dict[str, int]) -> int:
    # Stable across runs (str's hash() is not), so a class gets the same pairs every time.
    found = known.get(token)
    if found is None:
        digest = hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        found = known[token] = int.from_bytes(digest, "little")
    return found


def _signature(tokens: tuple[str, ...], known: dict[str, int]) -> np.ndarray:
    """MinHash of the form's set of token 4-grams: BANDS * ROWS values."""
    ids = np.fromiter((_token_id(t, known) for t in tokens), dtype=np.uint64, count=len(tokens))
    width = max(1, len(ids) - SHINGLE + 1)
    grams = np.zeros(width, dtype=np.uint64)
    for j in range(min(SHINGLE, len(ids))):
        grams = grams * np.uint64(1_000_003) + ids[j:j + width]
    grams = np.unique(grams)
    hashed = grams[:, None] * _MULTIPLY[None, :] + _ADD[None, :]
    hashed ^= hashed >> np.uint64(29)
    return hashed.min(axis=0)


def _candidates(signatures: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of forms (row indices) that share a band and agree on enough MinHash values."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = {}
        rows = signatures[:, band * ROWS:(band + 1) * ROWS]
        for index in range(len(signatures)):
            buckets.setdefault(rows[index].tobytes(), []).append(index)
        for members in buckets.values():
            pairs.update(itertools.combinations(members, 2))
    if not pairs:
        return []
    first, second = np.array(sorted(pairs)).T
    agree = (signatures[first] == signatures[second]).mean(axis=1)
    return [(int(a), int(b)) for a, b, share in zip(first, second, agree) if share >= MIN_AGREE]


def _same(a: tuple[str, ...], b: tuple[str, ...], report: SimilarityReport) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
        return False
    # difflib's first pass costs one step per pair of equal tokens; past MAX_WORK (long,
    # repetitive code) its own heuristic that leaves out tokens in over 1% of b bounds it.
    count_b = Counter(b)
    if sum(n * count_b[t] for t, n in Counter(a).items()) > MAX_WORK:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=True)
    report.compared += 1
    return matcher.ratio() >= NEAR


def _item_matches(forms: dict[str, str], limit: float, report: SimilarityReport):
    """Pairs of students (sorted ids) whose forms of one item match, identical or near;
    forms more than `limit` students have, and forms near them, are left out."""
    groups: dict[str, list[str]] = {}
    for student, form in sorted(forms.items()):
        groups.setdefault(form, []).append(student)
    common = {f for f, students in groups.items() if len(students) > limit}
    distinct = sorted(groups)
    tokens = [tuple(_TOKENS.findall(f)[:MAX_TOKENS]) for f in distinct]
    known: dict[str, int] = {}
    signatures = np.array([_signature(t, known) for t in tokens]) if distinct else np.zeros((0, 0))
    candidates = _candidates(signatures)
    report.candidates += len(candidates)
    matched = [(distinct[i], distinct[j]) for i, j in candidates if _same(tokens[i], tokens[j], report)]
    # A near copy of what a third of the class typed in is still the book's code.
    excluded = common | {b for a, b in matched if a in common} | {a for a, b in matched if b in common}
    for form, students in groups.items():
        if form not in excluded:
            yield from itertools.combinations(students, 2)
    for a, b in matched:
        if a not in excluded and b not in excluded:
            yield from (tuple(sorted(p)) for p in itertools.product(groups[a], groups[b]))


def find_similar(results: list[GradingResult], known: Mapping[str, Form] | None = None) -> SimilarityReport:
    """Flagged pairs, most similar first, and the items that could not be compared.
    `known`: code -> its Form, computed in the workers (code_form.forms_of); the rest is
    normalised here (results from earlier runs, or a worker that could not)."""
    known = known or {}
    report = SimilarityReport()
    by_assignment: dict[str, dict[str, dict[str, str]]] = {}
    for result in results:
        if not result.graded or not result.item_sources:
            continue
        assignment = result.provenance.assignment_id or ""
        forms = {}
        for item, source in result.item_sources.items():
            try:
                found = known.get(source.code)
                form = found.value() if found is not None else canonical_form(source.code)
            except Unusable as why:
                report.skipped.append(Skipped(result.student_id, assignment, item, why.reason))
                continue
            if form is not None:
                forms[item] = form
        by_assignment.setdefault(assignment, {})[result.student_id] = forms
    pairs = []
    for assignment, students in sorted(by_assignment.items()):
        limit = len(students) * COMMON_SHARE if len(students) >= COMMON_MIN_CLASS else len(students)
        shared: dict[tuple[str, str], list[str]] = {}
        items = sorted({item for forms in students.values() for item in forms})
        for item in items:
            forms = {s: f[item] for s, f in students.items() if item in f}
            for pair in _item_matches(forms, limit, report):
                shared.setdefault(pair, []).append(item)
        for (a, b), matched in sorted(shared.items()):
            comparable = set(students[a]) & set(students[b])
            score = len(matched) / len(comparable)
            if len(matched) >= MIN_SHARED and score >= MIN_SCORE:
                pairs.append({"assignment": assignment, "a": one_line(a), "b": one_line(b),
                              "share": score, "score": f"{100 * score:.0f}% ({len(matched)}/{len(comparable)})",
                              "items": ", ".join(sorted(matched))})
    pairs.sort(key=lambda p: (-p["share"], p["a"], p["b"]))
    report.pairs = pairs[:MAX_PAIRS]
    return report


def similar_pairs(results: list[GradingResult]) -> list[dict]:
    """Flagged pairs, most similar first: {"a", "b", "score", "items", "assignment"}."""
    return find_similar(results).pairs

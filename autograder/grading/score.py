"""Points per test, partial credit per item, a total: the only arithmetic on grades."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .outcome import TestStatus, TestOutcome


class ItemStatus(str, enum.Enum):
    FULL = "full"            # every test of the item passed
    PARTIAL = "partial"      # some points
    ZERO = "zero"            # no points, though the item was there
    MISSING = "missing"      # every test found the item absent, imported or not callable
    NOT_FUNCTION = "not_function"  # absent as the function the book has: an instance or a class


@dataclass(frozen=True)
class ItemScore:
    item: str
    points: float
    max_points: float
    passed: int
    tests: int
    status: ItemStatus


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    items: tuple[ItemScore, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0


def score_outcomes(outcomes: list[TestOutcome], item_order: list[str] | None = None,
                   not_functions: frozenset[str] | set[str] = frozenset()) -> Score:
    """`not_functions`: items missing because the student made them something other than
    the function the book has (resolve.py); their status says so."""
    by_item: dict[str, list[TestOutcome]] = {}
    for outcome in outcomes:
        by_item.setdefault(outcome.item, []).append(outcome)
    order = [i for i in (item_order or []) if i in by_item] + \
            [i for i in by_item if i not in (item_order or [])]
    items = []
    for item in order:
        tests = by_item[item]
        got = sum(t.points for t in tests)
        full = sum(t.max_points for t in tests)
        if all(t.status is TestStatus.MISSING for t in tests):
            status = ItemStatus.NOT_FUNCTION if item in not_functions else ItemStatus.MISSING
        elif got == full:
            status = ItemStatus.FULL
        else:
            status = ItemStatus.PARTIAL if got > 0 else ItemStatus.ZERO
        items.append(ItemScore(item, round(got, 4), round(full, 4),
                               sum(t.status is TestStatus.PASSED for t in tests), len(tests), status))
    return Score(round(sum(i.points for i in items), 4),
                 round(sum(i.max_points for i in items), 4), tuple(items))

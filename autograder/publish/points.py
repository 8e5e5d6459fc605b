"""Points per item, read from the hidden suite's markers (where points live), by collection only.

The hidden tests are collected, never run: pytest imports them and reads `item` and
`points` on every test, as grading does. A chapter without a suite yet has no points, and
its notebook says nothing about them until it has.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from ..assignment import load_assignment
from ..chapters import CONFIG_NAME
from ..grading.plugin import DEFAULT_POINTS
from ..grading.runner import pytest_args


class _Collector:
    def __init__(self):
        self.points: dict[str, float] = {}

    def pytest_configure(self, config):
        config.addinivalue_line("markers", "item(name): the graded item")
        config.addinivalue_line("markers", "points(n): points this test is worth")

    def pytest_collection_modifyitems(self, items):
        for test in items:
            item, points = test.get_closest_marker("item"), test.get_closest_marker("points")
            name = item.args[0] if item and item.args else ""
            worth = float(points.args[0]) if points and points.args else DEFAULT_POINTS
            self.points[name] = self.points.get(name, 0.0) + worth


def item_points(suite_dir: Path | None) -> dict[str, float]:
    """{item: total points of its hidden tests}; {} when there is no suite."""
    if suite_dir is None or not Path(suite_dir).is_dir():
        return {}
    suite_dir = Path(suite_dir).resolve()
    collector = _Collector()
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        pytest.main(pytest_args(suite_dir) + ["--collect-only"], plugins=[collector])
    prefix = str(suite_dir) + os.sep
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", "") or "").startswith(prefix):
            del sys.modules[name]   # as after grading: another suite's test_x.py is not this one
    return collector.points


def chapter_points(spec) -> dict[str, float]:
    """Points per item of a chapter's hidden suite: the config's suite, else hidden/."""
    if (spec.reference_dir / CONFIG_NAME).is_file():
        return item_points(load_assignment(spec.folder).suite_dir)
    return item_points(spec.reference_dir / "hidden")

"""Assignments: what instructors write in assignments/<dir>/assignment.toml, loaded and checked.

An assignment names the graded items (book names, in report order) with the aliases a
notebook may use instead, the hidden suite that tests them, and the sandbox limits.
Points are not here: they live on the hidden tests, beside what they reward.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .messages import say

ASSIGNMENTS_DIR = Path(__file__).resolve().parents[1] / "assignments"
CONFIG_NAME = "assignment.toml"
# What an assignment may refuse in place of a float64 ndarray (both accepted by default).
CHECK_OPTIONS = {"allow_list", "allow_float32"}


class UnknownAssignment(LookupError):
    """No assignment has this id or directory; the message lists the known ones."""


class AssignmentConfigError(ValueError):
    """An assignment.toml that cannot be used as written."""


@dataclass(frozen=True)
class Assignment:
    id: str
    title: dict[str, str]                 # {"ko": ..., "en": ...}
    version: str
    items: tuple[str, ...]                # book names, in the order reports list them
    aliases: dict[str, list[str]]         # book name -> other names accepted for it
    suite_dir: Path
    limits: dict[str, float] = field(default_factory=dict)   # keyword arguments of sandbox Limits
    config_path: Path | None = None
    checks: dict[str, bool] = field(default_factory=dict)     # [checks]: allow_list, allow_float32

    @property
    def display_title(self) -> str:
        return f"{self.title['ko']} / {self.title['en']}"

    @property
    def grading_version(self) -> str:
        """The declared version plus a digest of what decides a grade (config, suite,
        reference), so a suite edited without bumping the version is never served from
        the gradebook's cache."""
        return f"{self.version}+{_content_digest(self.config_path, self.suite_dir)[:12]}"


@functools.lru_cache(maxsize=None)
def _content_digest(config_path: Path | None, suite_dir: Path) -> str:
    digest = hashlib.sha256()
    reference_dir = Path(__file__).resolve().parents[1] / "reference"
    files = [config_path] if config_path else []
    files += sorted(suite_dir.rglob("*.py")) + sorted(reference_dir.glob("*.py"))
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _limit_names() -> set[str]:
    from .sandbox.limits import Limits  # imported late: only validation needs the sandbox
    return {f.name for f in dataclasses.fields(Limits)}


def _fail(path: Path, detail: str):
    raise AssignmentConfigError(say("grading.bad_assignment", path=str(path), detail=detail))


def _parse(path: Path) -> Assignment:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        _fail(path, str(exc))
    for key, kind in (("id", str), ("version", str), ("suite", str), ("title", dict),
                      ("items", dict)):
        if not isinstance(data.get(key), kind):
            _fail(path, f"'{key}' must be a {kind.__name__}")
    title = data["title"]
    if not all(isinstance(title.get(lang), str) and title[lang] for lang in ("ko", "en")):
        _fail(path, "[title] needs non-empty 'ko' and 'en'")
    items = data["items"]
    if not items:
        _fail(path, "[items] is empty")
    seen: dict[str, str] = {name: name for name in items}
    for name, aliases in items.items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            _fail(path, f"items.{name} must be a list of names")
        for alias in aliases:
            # One notebook name must resolve to one item, or grading would be a guess.
            if alias in seen:
                _fail(path, f"name '{alias}' is used by both '{seen[alias]}' and '{name}'")
            seen[alias] = name
    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        _fail(path, "[limits] must be a table")
    unknown = set(limits) - _limit_names()
    if unknown:
        _fail(path, f"unknown limit(s) {sorted(unknown)}; known: {sorted(_limit_names())}")
    for name, value in limits.items():
        if name != "isolation" and (isinstance(value, bool) or not isinstance(value, (int, float))
                                    or value <= 0):
            _fail(path, f"limits.{name} must be a positive number")
    checks = data.get("checks", {})
    if not isinstance(checks, dict) or set(checks) - CHECK_OPTIONS or \
            not all(isinstance(v, bool) for v in checks.values()):
        _fail(path, f"[checks] takes only true/false for {sorted(CHECK_OPTIONS)}")
    suite_dir = (path.parent / data["suite"]).resolve()
    if not suite_dir.is_dir():
        _fail(path, f"suite directory {suite_dir} does not exist")
    return Assignment(id=data["id"], title={"ko": title["ko"], "en": title["en"]},
                      version=data["version"], items=tuple(items),
                      aliases={name: list(a) for name, a in items.items()},
                      suite_dir=suite_dir, limits=dict(limits), config_path=path,
                      checks=dict(checks))


def _configs(root: Path) -> list[Path]:
    return sorted(root.glob(f"*/{CONFIG_NAME}")) if root.is_dir() else []


def list_assignments(root: Path | None = None) -> list[Assignment]:
    """Every assignment under `root` (default: the project's assignments/), sorted by id."""
    found = [_parse(path) for path in _configs(root or ASSIGNMENTS_DIR)]
    ids = [a.id for a in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        _fail(root or ASSIGNMENTS_DIR, f"duplicate assignment id(s) {duplicates}")
    return sorted(found, key=lambda a: a.id)


def load_assignment(id_or_dir: str | Path, root: Path | None = None) -> Assignment:
    """By id ("ch03"), by directory name ("ch03_neural_networks"), or by a path to the
    directory or to its assignment.toml."""
    path = Path(id_or_dir)
    if path.is_file():
        return _parse(path)
    if (path / CONFIG_NAME).is_file():
        return _parse(path / CONFIG_NAME)
    root = root or ASSIGNMENTS_DIR
    for config in _configs(root):
        if config.parent.name == str(id_or_dir):
            return _parse(config)
    known = list_assignments(root)
    for assignment in known:
        if assignment.id == str(id_or_dir):
            return assignment
    raise UnknownAssignment(say("grading.unknown_assignment", name=str(id_or_dir),
                                known=", ".join(a.id for a in known) or "-"))

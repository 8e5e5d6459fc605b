"""Assignments: a chapter folder's assignment.toml, loaded and checked.

An assignment names the graded items (book names, in report order) with the aliases a
notebook may use instead, the hidden suite that tests them, and the sandbox limits.
Points are not here: they live on the hidden tests, beside what they reward.

Known assignments are found by id among the chapter folders (see chapters.py); a path
to a config of one's own is accepted only from the command line (`load_assignment_file`),
never from what a notebook says about itself.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .chapters import CONFIG_NAME, MESSAGES_NAME, chapter_dirs, chapters_root, package_of
from .feedback import msg
from .messages import DEFAULT_LANG, LANGS, SaidError
from .sandbox.limits import Limits, LimitsError

# What an assignment may refuse in place of a float64 ndarray (both accepted by default).
CHECK_OPTIONS = {"allow_list", "allow_float32"}
# Languages a student page can be written in ([report] lang), and Gradescope's per-test
# visibilities ([visibility]: test-name glob -> one of these).
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
HINTS_NAME = "hints.py"


class UnknownAssignment(SaidError, LookupError):
    """No assignment has this id or directory; the message lists the known ones."""


class AssignmentConfigError(SaidError, ValueError):
    """An assignment.toml that cannot be used as written (said to the instructor; its
    detail is the TOML reader's or a short English description of the rule broken)."""


@dataclass(frozen=True)
class Assignment:
    id: str
    title: dict[str, str]                 # {"ko": ..., "en": ...}
    version: str
    items: tuple[str, ...]                # book names, in the order reports list them
    aliases: dict[str, list[str]]         # book name -> other names accepted for it
    suite_dir: Path
    limits: Limits = field(default_factory=Limits)
    config_path: Path | None = None
    checks: dict[str, bool] = field(default_factory=dict)     # [checks]: allow_list, allow_float32
    package: str | None = None            # the chapter's reference package (the `reference` fixture)
    lang: str | None = None               # [report] lang: the students' page language (None: ko)
    visibility: dict[str, str] = field(default_factory=dict)  # [visibility]: test glob -> visibility

    @property
    def display_title(self) -> str:
        return f"{self.title['ko']} / {self.title['en']}"

    @property
    def grading_version(self) -> str:
        """The declared version plus a digest of what decides this assignment's grades
        (its config, suite, hints and their sentences, and the reference modules those
        import), so an edited suite is never served from the gradebook's cache, and an
        edit to another chapter's reference leaves this one's cache alone."""
        return f"{self.version}+{_content_digest(self.config_path, self.suite_dir)[:12]}"


@functools.lru_cache(maxsize=None)
def _content_digest(config_path: Path | None, suite_dir: Path) -> str:
    chapter = config_path.parent if config_path else suite_dir
    own = [config_path] if config_path else []
    own += sorted(suite_dir.rglob("*.py"))
    own += [p for p in (chapter / HINTS_NAME, chapter / MESSAGES_NAME) if p.is_file()]
    package = package_of(chapter)
    roots = own + ([chapter / "__init__.py"] if package else [])
    files = own + sorted(_reference_closure(roots) - set(own))
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _reference_closure(start: list[Path]) -> set[Path]:
    """The reference modules `start` imports, directly or through each other."""
    root = chapters_root().resolve()
    seen: set[Path] = set()
    todo = [p.resolve() for p in start if p.suffix == ".py"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue  # a broken suite file is the runner's to report
        for dotted in _imported_modules(tree, path, root):
            todo += _module_files(root, dotted)
    return {p for p in seen if p.is_relative_to(root)}


def chapters_imported(chapter: Path, skip: tuple[str, ...] = ()) -> set[str]:
    """The chapter folders (by name, `chapter`'s own among them) whose files `chapter`'s
    Python files outside the `skip` subfolders import, directly or through each other:
    what a grader for this chapter alone must carry (ch05's layers use ch03's softmax)."""
    root = chapters_root().resolve()
    own = [p for p in sorted(chapter.rglob("*.py"))
           if not set(p.relative_to(chapter).parts[:-1]) & set(skip)]
    return {p.relative_to(root).parts[0] for p in _reference_closure(own)
            if len(p.relative_to(root).parts) > 1}


def _imported_modules(tree: ast.AST, path: Path, root: Path) -> list[list[str]]:
    """Module paths (as name lists under the reference package) that `tree` imports."""
    package = list(path.relative_to(root).parent.parts) if path.is_relative_to(root) else None
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name.split(".") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level and package is None:
                continue
            base = (["reference"] + package[:len(package) - node.level + 1]) if node.level \
                else []
            module = base + (node.module.split(".") if node.module else [])
            found.append(module)
            found += [module + [a.name] for a in node.names]   # `from pkg import module`
    return [m[1:] for m in found if m and m[0] == "reference"]


def _module_files(root: Path, parts: list[str]) -> list[Path]:
    """The files that importing reference.<parts> runs: each package's __init__ and the module."""
    files = []
    for depth in range(len(parts) + 1):
        here = root.joinpath(*parts[:depth])
        if (here / "__init__.py").is_file():
            files.append(here / "__init__.py")
        elif depth and here.with_suffix(".py").is_file():
            files.append(here.with_suffix(".py"))
    return files


def _fail(path: Path, detail: str):
    raise AssignmentConfigError(msg("assignment.invalid", path=str(path), detail=detail))


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
    if not all(isinstance(title.get(lang), str) and title[lang] for lang in LANGS):
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
    try:
        limits = Limits.from_table(data.get("limits", {}), source="[limits]")
    except LimitsError as exc:
        _fail(path, str(exc))
    checks = data.get("checks", {})
    if not isinstance(checks, dict) or set(checks) - CHECK_OPTIONS or \
            not all(isinstance(v, bool) for v in checks.values()):
        _fail(path, f"[checks] takes only true/false for {sorted(CHECK_OPTIONS)}")
    report = data.get("report", {})
    if not isinstance(report, dict) or set(report) - {"lang"} or \
            report.get("lang", DEFAULT_LANG) not in LANGS:
        _fail(path, f"[report] takes only lang, one of {list(LANGS)}")
    visibility = data.get("visibility", {})
    if not isinstance(visibility, dict) or not all(v in VISIBILITIES for v in visibility.values()):
        _fail(path, f"[visibility] maps test names (globs) to one of {list(VISIBILITIES)}")
    suite_dir = (path.parent / data["suite"]).resolve()
    if not suite_dir.is_dir():
        _fail(path, f"suite directory {suite_dir} does not exist")
    return Assignment(id=data["id"], title={"ko": title["ko"], "en": title["en"]},
                      version=data["version"], items=tuple(items),
                      aliases={name: list(a) for name, a in items.items()},
                      suite_dir=suite_dir, limits=limits, config_path=path,
                      checks=dict(checks), package=package_of(path.parent),
                      lang=report.get("lang"), visibility=dict(visibility))


def list_assignments(root: Path | None = None) -> list[Assignment]:
    """Every assignment under `root` (default: the chapter folders), sorted by id."""
    found = [_parse(folder / CONFIG_NAME) for folder in chapter_dirs(root)]
    ids = [a.id for a in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        _fail(root or chapters_root(), f"duplicate assignment id(s) {duplicates}")
    return sorted(found, key=lambda a: a.id)


def load_assignment(name: str, root: Path | None = None) -> Assignment:
    """A known assignment by id ("ch03") or by chapter folder name ("ch03_neural_networks").

    Never a path: this is what a notebook's metadata reaches, and a notebook must not
    choose which suite grades it."""
    for folder in chapter_dirs(root):
        if folder.name == name:
            return _parse(folder / CONFIG_NAME)
    known = list_assignments(root)
    for assignment in known:
        if assignment.id == name:
            return assignment
    raise UnknownAssignment(msg("assignment.unknown", name=name,
                                known=", ".join(a.id for a in known) or "-"))


def load_assignment_file(path: Path) -> Assignment:
    """An assignment from a folder or its assignment.toml: for an instructor's command line."""
    path = Path(path)
    config = path if path.is_file() else path / CONFIG_NAME
    if not config.is_file():
        raise UnknownAssignment(msg("assignment.unknown", name=str(path),
                                    known=", ".join(a.id for a in list_assignments()) or "-"))
    return _parse(config)

"""An assignment's authoring files: assignments/chNN_topic/tasks.toml and publish.toml.

tasks.toml says what the source notebook holds: an introduction, then one task per graded
item (its book section, its text in Korean and English, and which reference objects it
shows: `code` with signatures kept and bodies as solutions, `helpers` wholly as
solutions, `given` as starter code). `[given]` is starter code for the whole notebook;
`[earlier]` lists what the notebook needs from earlier chapters (stubbed like a task, not
graded here).

publish.toml says what is published besides the notebook: `[public] tests`, the public
test files under reference/<chapter>/public/ (this table can move into assignment.toml),
`[notebook] lang`, the language the notebook's check cell speaks ("ko", the default, or
"en"), and `[assignment]`, a stand-in id, version and title used only while the chapter
has no assignment.toml of its own.
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..assignment import load_assignment
from ..chapters import CONFIG_NAME, chapters_root
from ..messages import LANGS

TASKS_NAME = "tasks.toml"
PUBLISH_NAME = "publish.toml"
SOURCE_NAME = "source.ipynb"
PUBLIC_DIR = "public"


class SpecError(ValueError):
    """An authoring file that cannot be used as written."""


@dataclass(frozen=True)
class Task:
    item: str
    section: str
    text: dict                      # {"ko": ..., "en": ...}
    code: tuple = ()
    helpers: tuple = ()
    given: tuple = ()

    @property
    def names(self) -> tuple:
        return self.code + self.helpers + self.given


@dataclass(frozen=True)
class Spec:
    folder: str                     # "ch03_neural_networks": the reference and template folder
    assignment_id: str
    version: str
    title: dict
    items: tuple                    # book names, in report order
    aliases: dict
    intro: dict
    tasks: tuple
    given: Task | None = None       # starter code for the whole notebook
    earlier: Task | None = None     # earlier chapters' items this notebook needs
    public: tuple = ()              # public test file names
    lang: str = "ko"                # the check cell's language
    authoring_dir: Path = field(default=Path("."))

    @property
    def reference_dir(self) -> Path:
        return chapters_root() / self.folder

    @property
    def public_dir(self) -> Path:
        return self.reference_dir / PUBLIC_DIR

    @property
    def source_path(self) -> Path:
        return self.authoring_dir / SOURCE_NAME

    @property
    def notebook_name(self) -> str:
        return f"{self.folder}.ipynb"


def assignments_root() -> Path:
    return Path(__file__).resolve().parents[2] / "assignments"


def list_specs(root: Path | None = None) -> list[Spec]:
    return [load_spec(p.parent) for p in sorted((root or assignments_root()).glob(f"*/{TASKS_NAME}"))]


def find_spec(name: str, root: Path | None = None) -> Spec:
    """By assignment id ("ch03") or folder name ("ch03_neural_networks")."""
    specs = list_specs(root)
    for spec in specs:
        if name in (spec.assignment_id, spec.folder):
            return spec
    raise SpecError(f"no assignment {name!r} under assignments/ "
                    f"(known: {', '.join(s.assignment_id for s in specs) or '-'})")


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"{path}: {exc}") from None


def _text(table: dict, where: str) -> dict:
    if not all(isinstance(table.get(lang), str) and table[lang].strip() for lang in LANGS):
        raise SpecError(f"{where} needs non-empty 'ko' and 'en' text")
    return {"ko": table["ko"].strip(), "en": table["en"].strip()}


def _names(table: dict, key: str, where: str) -> tuple:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{where}.{key} must be a list of names")
    return tuple(value)


def _task(table: dict, where: str, item: str = "") -> Task:
    return Task(item=item, section=str(table.get("section", "")),
                text=_text(table, where) if ("ko" in table or "en" in table) else {},
                code=_names(table, "code", where) or ((item,) if item else ()),
                helpers=_names(table, "helpers", where), given=_names(table, "given", where))


def load_spec(folder: Path) -> Spec:
    tasks_path, publish_path = folder / TASKS_NAME, folder / PUBLISH_NAME
    tasks, publish = _read(tasks_path), _read(publish_path) if publish_path.is_file() else {}
    reference_dir = chapters_root() / folder.name
    if not (reference_dir / "__init__.py").is_file():
        raise SpecError(f"{folder}: there is no reference/{folder.name}/ package")
    ident, version, title, items, aliases = _assignment(folder.name, reference_dir,
                                                        publish.get("assignment", {}), publish_path)
    task_list = []
    for n, table in enumerate(tasks.get("task", []), start=1):
        item = table.get("item")
        if item not in items:
            raise SpecError(f"{tasks_path}: task {n} names {item!r}, not an item of {ident}")
        task_list.append(_task(table, f"{tasks_path}: task {item}", item))
    missing = [i for i in items if i not in {t.item for t in task_list}]
    if missing or len(task_list) != len(items):
        raise SpecError(f"{tasks_path}: every item needs exactly one task (missing: {missing})")
    public = publish.get("public", {}).get("tests", [])
    if not isinstance(public, list) or not all(isinstance(p, str) for p in public):
        raise SpecError(f"{publish_path}: [public] tests must be a list of file names")
    lang = publish.get("notebook", {}).get("lang", "ko")
    if lang not in LANGS:
        raise SpecError(f"{publish_path}: [notebook] lang must be one of {', '.join(LANGS)}")
    return Spec(folder=folder.name, assignment_id=ident, version=version, title=title,
                items=items, aliases=aliases, intro=_text(tasks.get("intro", {}), f"{tasks_path} [intro]"),
                tasks=tuple(task_list),
                given=_task(tasks["given"], f"{tasks_path} [given]") if "given" in tasks else None,
                earlier=_task(tasks["earlier"], f"{tasks_path} [earlier]") if "earlier" in tasks else None,
                public=tuple(public), lang=lang, authoring_dir=folder)


def _assignment(folder: str, reference_dir: Path, stand_in: dict, where: Path):
    """(id, version, title, items, aliases): from assignment.toml when the chapter has one,
    else from publish.toml's [assignment] stand-in and the package's __all__."""
    if (reference_dir / CONFIG_NAME).is_file():
        config = load_assignment(folder)
        return config.id, config.version, dict(config.title), config.items, dict(config.aliases)
    for key in ("id", "version"):
        if not isinstance(stand_in.get(key), str):
            raise SpecError(f"{where}: [assignment] needs '{key}' while reference/{folder}/ "
                            f"has no {CONFIG_NAME}")
    items = tuple(importlib.import_module(f"reference.{folder}").__all__)
    return (stand_in["id"], stand_in["version"], _text(stand_in.get("title", {}), f"{where} [assignment.title]"),
            items, {i: [] for i in items})

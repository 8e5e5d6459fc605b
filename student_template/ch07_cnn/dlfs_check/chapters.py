"""The published chapters beside this package: chapter.json in the folder that holds it.

`make publish` writes each chapter's chapter.json (id, version, title, items with their
aliases and points, the public test files) and a copy of this package into the chapter's
folder, so the folder works on its own: handed out alone, moved, or uploaded to Colab
(the folder's files beside the notebook). At the top of student_template/ this package
sees every chapter instead: chNN_topic/chapter.json. A notebook names its chapter in its metadata
(metadata["dlfs"]["assignment"], stamped at publishing); a notebook without it, or the
live kernel, is matched by the share of a chapter's items it defines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

INDEX_NAME = "chapter.json"
PUBLIC_DIR = "public"


class UnknownChapter(LookupError):
    """No chapter has this id, or the notebook does not tell."""


@dataclass(frozen=True)
class Item:
    name: str
    aliases: tuple
    points: float | None


@dataclass(frozen=True)
class Chapter:
    id: str
    version: str
    title: dict
    folder: Path
    notebook: str
    items: tuple
    public: tuple

    @property
    def public_dir(self) -> Path:
        # Uploaded file by file (Colab), the tests may sit beside chapter.json instead.
        nested = self.folder / PUBLIC_DIR
        return nested if nested.is_dir() or not self._flat() else self.folder

    def _flat(self) -> bool:
        return any((self.folder / name).is_file() for name in self.public)

    def missing_public(self) -> list[str]:
        """The public test files chapter.json names that are not there."""
        return [name for name in self.public if not (self.public_dir / name).is_file()]

    @property
    def aliases(self) -> dict:
        return {item.name: list(item.aliases) for item in self.items}

    def item(self, name: str) -> Item | None:
        return next((i for i in self.items if name == i.name or name in i.aliases), None)


def templates_root() -> Path:
    return Path(__file__).resolve().parent.parent


def all_chapters(root: Path | None = None) -> list[Chapter]:
    """The chapter whose folder holds this package, and every chapter one folder down (an
    unreadable chapter.json, cut short by an upload, counts as missing)."""
    root = root or templates_root()
    found = []
    for index in [root / INDEX_NAME, *sorted(root.glob(f"*/{INDEX_NAME}"))]:
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
            items = tuple(Item(i["name"], tuple(i.get("aliases", ())), i.get("points"))
                          for i in data["items"])
            found.append(Chapter(data["id"], data["version"], data["title"], index.parent,
                                 data["notebook"], items, tuple(data["public"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def by_id(name: str, root: Path | None = None) -> Chapter:
    chapters = all_chapters(root)
    for chapter in chapters:
        if name in (chapter.id, chapter.folder.name):
            return chapter
    raise UnknownChapter(name)


def best_match(names, chapters: list[Chapter], item: str | None = None) -> Chapter | None:
    """The chapter whose items `names` defines the largest share of (among those that have
    `item`, when given); None when nothing matches or two chapters tie."""
    names = set(names)
    scored = []
    for chapter in chapters:
        if item is not None and chapter.item(item) is None:
            continue
        hits = sum(1 for i in chapter.items if names & {i.name, *i.aliases})
        scored.append((hits / len(chapter.items), hits, chapter))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    if item is not None and len(scored) == 1:
        return scored[0][2]
    if not scored or scored[0][1] == 0 or (len(scored) > 1 and scored[1][:2] == scored[0][:2]):
        return None
    return scored[0][2]


def chapter_of(metadata: dict, names, root: Path | None = None) -> Chapter:
    """The chapter a notebook names in its metadata, else the best match of its names."""
    dlfs = metadata.get("dlfs") if isinstance(metadata, dict) else None
    wanted = dlfs.get("assignment") if isinstance(dlfs, dict) else None
    if isinstance(wanted, str):
        return by_id(wanted, root)
    chapter = best_match(names, all_chapters(root))
    if chapter is None:
        raise UnknownChapter("")
    return chapter

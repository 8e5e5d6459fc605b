"""Run a chapter's public tests against a namespace: a saved notebook's or the live kernel's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .chapters import Chapter, UnknownChapter, all_chapters, best_match, by_id, chapter_of
from .notebook import load_notebook
from .runner import run_public_tests
from .view import StudentCode


@dataclass
class Report:
    chapter: Chapter
    outcomes: list
    problems: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(o.passed for o in self.outcomes)


class MissingPublic(FileNotFoundError):
    """Public test files chapter.json names are not in the chapter folder."""

    def __init__(self, files: list, folder: Path):
        super().__init__(f"{', '.join(files)} not in {folder}")
        self.files, self.folder = files, folder


def run_chapter(chapter: Chapter, namespace: dict, item: str | None = None) -> list:
    files = [chapter.public_dir / name for name in chapter.public]
    book_name = chapter.item(item).name if item is not None else None
    return run_public_tests(files, chapter.public_dir, StudentCode(namespace, chapter.aliases),
                            only_item=book_name)


def check_notebook(path: Path, chapter_name: str | None = None, root: Path | None = None) -> Report:
    """Load the notebook's definitions (NotANotebook if it cannot be read), find its chapter
    (UnknownChapter), and run the chapter's public tests (MissingPublic when not there)."""
    loaded = load_notebook(Path(path))
    chapter = by_id(chapter_name, root) if chapter_name \
        else chapter_of(loaded.metadata, loaded.namespace, root)
    if missing := chapter.missing_public():
        raise MissingPublic(missing, chapter.folder)
    return Report(chapter, run_chapter(chapter, loaded.namespace), loaded.problems)


def chapter_for(namespace: dict, chapter_name: str | None, item: str | None,
                root: Path | None = None) -> Chapter:
    """The chapter named, else the one the namespace's definitions match best."""
    if chapter_name:
        return by_id(chapter_name, root)
    chapter = best_match(namespace, all_chapters(root), item)
    if chapter is None:
        raise UnknownChapter(item or "")
    return chapter

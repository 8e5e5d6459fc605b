"""Publishing: a source notebook in, a student notebook out; a chapter's folder in student_template/.

`publish_steps` is the pipeline: nbconvert preprocessors, one job each, in the order they
run. The chapter folder gets the student notebook, the public tests the chapter's
publish.toml names, chapter.json (what the local checker reads) and a copy of the local
checker itself, so the folder needs nothing around it.
"""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor

from .author import build_source
from .points import chapter_points
from .preprocessors import (AddCheckCell, ClearSolutions, DropAuthoringMetadata,
                            RefuseHiddenTests, StampAssignment)
from .spec import Spec, SpecError

INDEX_NAME = "chapter.json"
PUBLIC_DIR = "public"
# The students' checker, written by hand at the top of student_template/; every chapter
# folder gets a copy, so a folder handed out alone (or uploaded to Colab) checks itself.
CHECKER_DIR = Path(__file__).resolve().parents[2] / "student_template" / "dlfs_check"


def publish_steps(assignment_id: str, version: str, example_item: str = "softmax",
                  lang: str = "ko") -> list:
    return [
        RefuseHiddenTests(),                                      # tests never reach students
        ClearSolutions(),                                         # regions -> stubs
        ClearOutputPreprocessor(),                                # outputs, execution counts
        DropAuthoringMetadata(),                                  # nbgrader, the source's dlfs block
        StampAssignment(assignment_id=assignment_id, version=version),  # what the grader reads
        AddCheckCell(assignment_id=assignment_id, example_item=example_item, lang=lang),
    ]


def publish_notebook(source: nbformat.NotebookNode, assignment_id: str, version: str,
                     example_item: str = "softmax", lang: str = "ko") -> nbformat.NotebookNode:
    nb, resources = copy.deepcopy(source), {}
    for step in publish_steps(assignment_id, version, example_item, lang):
        nb, resources = step.preprocess(nb, resources)
    nbformat.validate(nb)
    return nb


@dataclass(frozen=True)
class Published:
    folder: Path
    notebook: Path
    tests: tuple


def chapter_index(spec: Spec, points: dict) -> dict:
    """What the local checker needs to know about a chapter (its chapter.json)."""
    return {"id": spec.assignment_id, "version": spec.version, "title": spec.title,
            "notebook": spec.notebook_name,
            "items": [{"name": item, "aliases": list(spec.aliases.get(item, [])),
                       "points": points.get(item)} for item in spec.items],
            "public": list(spec.public)}


def write_source(spec: Spec) -> Path:
    nbformat.write(build_source(spec), spec.source_path)
    return spec.source_path


def publish_chapter(spec: Spec, out_root: Path, source: nbformat.NotebookNode | None = None) -> Published:
    """Write student_template/<chapter>/: the student notebook, public/, chapter.json and
    a copy of dlfs_check/.

    `source` defaults to the committed source.ipynb (an instructor's nbgrader-style
    notebook may be given instead). The chapter folder is rebuilt from scratch, so a test
    dropped from [public] does not linger."""
    if source is None:
        source = nbformat.read(spec.source_path, as_version=4)
    missing = [name for name in spec.public if not (spec.public_dir / name).is_file()]
    if missing:
        raise SpecError(f"{spec.folder}: [public] lists {missing}, not in {spec.public_dir}")
    example = next((t.item for t in spec.tasks if t.item == "softmax"), spec.tasks[0].item)
    student = publish_notebook(source, spec.assignment_id, spec.version, example, spec.lang)
    folder = Path(out_root) / spec.folder
    if folder.exists():
        if not (folder / INDEX_NAME).is_file():
            raise SpecError(f"{folder} exists and is not a published chapter; not replacing it")
        shutil.rmtree(folder)
    (folder / PUBLIC_DIR).mkdir(parents=True)
    notebook = folder / spec.notebook_name
    nbformat.write(student, notebook)
    for name in spec.public:
        shutil.copyfile(spec.public_dir / name, folder / PUBLIC_DIR / name)
    shutil.copytree(CHECKER_DIR, folder / CHECKER_DIR.name,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    index = chapter_index(spec, chapter_points(spec))
    (folder / INDEX_NAME).write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
    return Published(folder, notebook, spec.public)

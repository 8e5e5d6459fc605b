"""What ingest knows about a name that is not there, shared by the two places that say it:
a graded item that is missing (resolve.py) and a NameError in the student's code
(grading/causes.py). Each returns facts; the callers choose the sentence."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from autograder.ingest.model import Definition, Skipped

WRITTEN_KINDS = {"function", "class", "lambda"}


def instance_of_class(binding: Skipped | None,
                      definitions: Mapping[str, Definition]) -> Skipped | None:
    """The skipped binding when it is `name = SomeClass(...)` with a class of the notebook."""
    if binding is None or not binding.call:
        return None
    called = definitions.get(binding.call)
    return binding if called is not None and called.kind == "class" else None


def shadowed(definition: Definition) -> bool:
    """An import that replaced the student's own def or class under the same name, as a
    top-to-bottom run would: the student wrote it, then threw it away."""
    return definition.kind == "import" and definition.replaced in WRITTEN_KINDS


def written_cell(definition: Definition) -> int:
    """The cell of the definition a later one replaced (the same cell when it has none)."""
    return (definition.earlier or (definition.cell,))[-1]


def close_names(name: str, candidates: Iterable[str], cutoff: float = 0.75) -> list[str]:
    """Up to three of `candidates` close to `name`, compared case-folded (`Softmax`)."""
    folded = {c.lower(): c for c in candidates}
    return [folded[c] for c in difflib.get_close_matches(name.lower(), list(folded), n=3,
                                                         cutoff=cutoff)]

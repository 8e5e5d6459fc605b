"""One chapter for a class: a batch grades every notebook against the same assignment.

Alone, a notebook says which chapter it is for (its metadata, else its definitions; see
detect.py). In a class that is not enough: a student who reused last week's notebook
carries last week's metadata over this week's work, and one who hands in last week's
easy exercises under last week's metadata would get full marks there; both would land
in another chapter's LMS column, which an import writes over. So a batch decides its
chapter once, for everyone:

  - the instructor's --assignment, when given;
  - else a vote. Every notebook that could be read votes once: for the chapter its
    definitions decide (detect.detected_assignment), or, when they decide none, for the
    chapter its metadata names. Definitions come first because metadata travels with a
    copied notebook and the definitions are the work. A chapter that holds more than
    half of the votes is the class's. A folder where no chapter does is not one class
    but several (examples of every chapter, an instructor's test set): each notebook is
    left to its own detection, with a warning that names the tally and the flag; forcing
    one chapter on it would grade most of it against the wrong suite. When nobody votes,
    each notebook is likewise left to its own detection.

Every readable notebook is then graded against that chapter, and one whose metadata or
definitions name another gets a note: on its result and page, in the dashboard and log.
A single notebook without --assignment keeps its own detection: there is no class to ask.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from .assignment import Assignment, list_assignments, load_assignment
from .detect import detected_assignment, named_assignment
from .feedback import Message, msg
from .messages import console_lang, say
from .pipeline import Prepared, reassign

log = logging.getLogger("autograder.batch")


@dataclass(frozen=True)
class Signals:
    """What one notebook says about its chapter."""
    named: str | None        # the known id its metadata names
    detected: str | None     # the chapter its definitions alone decide

    @property
    def vote(self) -> str | None:
        return self.detected or self.named


def signals_of(prep: Prepared, known: list[Assignment]) -> Signals | None:
    """None for a submission that could not be read: it has no say and nothing to grade."""
    if prep.ingest is None:
        return None
    return Signals(named_assignment(prep.ingest.metadata, known),
                   detected_assignment(prep.ingest.definitions, known))


def class_chapter(signals: list[Signals]) -> str | None:
    """The chapter more than half of the votes name; None when no chapter does."""
    votes = Counter(s.vote for s in signals if s.vote)
    if not votes:
        return None
    leader, count = max(sorted(votes.items()), key=lambda pair: pair[1])
    if 2 * count > sum(votes.values()):
        return leader
    tally = ", ".join(f"{chapter} ({n})" for chapter, n in sorted(votes.items()))
    log.warning("%s", say("detect.class_mixed", console_lang(), votes=tally))
    return None


def chapter_note(signals: Signals, chosen: str) -> Message | None:
    """What the notebook says otherwise than `chosen`; None when nothing."""
    named = signals.named if signals.named != chosen else None
    detected = signals.detected if signals.detected != chosen else None
    if named and detected:
        return msg("detect.note_both", named=named, detected=detected, chosen=chosen)
    if named:
        return msg("detect.note_metadata", named=named, chosen=chosen)
    if detected:
        return msg("detect.note_definitions", detected=detected, chosen=chosen)
    return None


def settle_chapter(preps: list[Prepared], assignment: Assignment | None,
                   from_file: bool = False, signals: list[Signals | None] | None = None) -> Assignment | None:
    """Grade every readable submission against one chapter and note the ones that say
    otherwise; returns that chapter (None: each notebook keeps its own detection).

    `assignment` is the instructor's --assignment (`from_file`: given as a config path);
    `signals`: each prep's signals_of, when the workers that prepared them read them."""
    if assignment is None and len(preps) < 2:
        return None
    if signals is None:
        known = list_assignments()     # read once for the class, not once per notebook
        signals = [signals_of(prep, known) for prep in preps]
    chosen = assignment
    if chosen is None:
        chosen_id = class_chapter([s for s in signals if s is not None])
        if chosen_id is None:
            return None
        chosen = load_assignment(chosen_id)
        log.info("grading the class as %s, the chapter most notebooks point to", chosen.id)
    for prep, said in zip(preps, signals):
        if said is None:
            continue
        reassign(prep, chosen, from_file=from_file and chosen is assignment)
        prep.chapter_note = chapter_note(said, chosen.id)
        if prep.chapter_note:
            log.warning("%s: %s", prep.provenance.source, prep.chapter_note.render(console_lang()))
    return chosen

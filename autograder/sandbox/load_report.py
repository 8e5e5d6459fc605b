"""What loading a submission's blocks into a sandbox reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# A notebook of ten thousand failing cells would otherwise write ten thousand messages
# into its report; the first ones say what is wrong, the rest are counted.
MAX_BLOCK_ERRORS = 50


class BlockError(NamedTuple):
    label: str            # the block (notebook cell) that failed
    exc_type: str         # already clipped by the sandbox's trusted side
    message: str
    lineno: int | None    # the line in that block, when the traceback says


@dataclass
class LoadReport:
    ok: bool
    block_errors: list[BlockError] = field(default_factory=list)   # the first MAX_BLOCK_ERRORS
    more_errors: int = 0                                            # failed blocks not listed
    timed_out: bool = False
    crashed: bool = False
    output: str = ""
    duration: float = 0.0

    def add(self, error: BlockError) -> None:
        if len(self.block_errors) < MAX_BLOCK_ERRORS:
            self.block_errors.append(error)
        else:
            self.more_errors += 1


def block_lineno(label: str, frames: tuple) -> int | None:
    """The failing line of the block `label`: the innermost of the student's frames (as
    the sandbox reports them: (block label, line, qualified name)) that lies in it."""
    for frame_label, line, _ in reversed(frames):
        if frame_label == label and line:
            return line
    return None

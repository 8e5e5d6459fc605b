"""Exceptions the trusted side sees when a call into student code does not return a value.

Hidden tests let these propagate; the grading plugin turns any StudentFault into an
ERROR outcome (the student's code misbehaved) rather than a FAILED one (wrong answer).
"""


class StudentFault(Exception):
    """Base: the student's code did not produce a value for this call."""


class StudentRaised(StudentFault):
    """The student's code raised. Carries the exception type name, a trimmed traceback, and
    the student's frames it passed through, outermost first, as (block label, line,
    qualified name): which of the student's functions or methods raised it."""

    def __init__(self, call: str, exc_type: str, message: str, traceback: str = "", frames: tuple = ()):
        self.call, self.exc_type, self.message, self.traceback = call, exc_type, message, traceback
        self.frames = frames
        super().__init__(f"{call} raised {exc_type}: {message}")


class TimeLimitExceeded(StudentFault):
    """A call, or the whole submission, ran past its wall-time budget."""


class SandboxCrashed(StudentFault):
    """The sandbox process died (exit, signal, memory limit) or broke the protocol."""


class UnsafeValue(StudentFault):
    """The student returned something the codec refuses (a forged array size, an oversized payload, ...)."""


class StaleHandle(StudentFault):
    """A handle to a student object outlived the sandbox process that held it."""

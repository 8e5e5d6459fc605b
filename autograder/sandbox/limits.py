"""Resource limits for one sandbox, and the report of loading a submission into it."""

from __future__ import annotations

from dataclasses import dataclass, field

GiB = 1024 ** 3
MiB = 1024 ** 2


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 10.0          # wall time of one call, measured on the trusted side
    submission_seconds: float = 300.0   # total wall time across starts, loads and calls
    load_seconds: float = 30.0          # wall time of one top-level block while loading
    start_seconds: float = 30.0         # process start up to "ready" (numpy import included)
    memory_bytes: int = 2 * GiB         # RLIMIT_AS
    cpu_seconds: int | None = None      # RLIMIT_CPU; None: submission_seconds + 30
    output_bytes: int = 64 * 1024       # captured stdout+stderr kept; the rest is drained and dropped
    file_bytes: int = 16 * MiB          # RLIMIT_FSIZE
    open_files: int = 64                # RLIMIT_NOFILE
    processes: int = 32                 # RLIMIT_NPROC, applied only with a dedicated uid
    max_frame_bytes: int = 512 * MiB    # one protocol message
    max_array_bytes: int = 256 * MiB    # one ndarray in a message
    isolation: str = "auto"             # "auto", "bubblewrap" or "fallback"; env AUTOGRADER_SANDBOX_ISOLATION overrides "auto"

    def effective_cpu_seconds(self) -> int:
        return int(self.cpu_seconds if self.cpu_seconds is not None else self.submission_seconds + 30)


@dataclass
class LoadReport:
    ok: bool
    block_errors: list = field(default_factory=list)   # (label, exc_type, message, lineno)
    timed_out: bool = False
    crashed: bool = False
    output: str = ""
    duration: float = 0.0

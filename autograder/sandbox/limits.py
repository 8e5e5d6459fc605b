"""The limits of one sandbox: typed once, from an assignment's [limits] table, validated.

Every field carries its unit and a help line (`python -m autograder limits` prints them);
the [limits] table of an assignment.toml uses the field names as keys. The caps on what
the sandbox may send back protect the grader itself: they bound the time and memory the
trusted side spends unpacking a reply, whatever the student's code returns.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .wire.caps import Caps

GiB = 1024 ** 3
MiB = 1024 ** 2


class LimitsError(ValueError):
    """A limit that cannot be used as written; the message names it."""


def _limit(default, unit: str, help: str, kind: type | None = None):
    return field(default=default, metadata={"unit": unit, "help": help, "kind": kind or type(default)})


@dataclass(frozen=True)
class Limits:
    call_seconds: float = _limit(
        10.0, "s", "wall time of one call into student code, unpacking what it returns included")
    submission_seconds: float = _limit(
        300.0, "s", "wall time of the whole submission: starts, loads and calls together")
    load_seconds: float = _limit(30.0, "s", "wall time of one notebook cell while the submission loads")
    start_seconds: float = _limit(30.0, "s", "sandbox start until it is ready (numpy import included)")
    memory_bytes: int = _limit(2 * GiB, "bytes", "address space of the sandbox process (RLIMIT_AS)")
    cpu_seconds: int | None = _limit(
        None, "s", "CPU time of the sandbox process (RLIMIT_CPU); unset: submission_seconds + 30", kind=int)
    output_bytes: int = _limit(64 * 1024, "bytes", "student stdout and stderr kept for the report; the rest is dropped")
    file_bytes: int = _limit(16 * MiB, "bytes", "largest file student code may write (RLIMIT_FSIZE)")
    workdir_bytes: int = _limit(
        64 * MiB, "bytes", "all files in the working folder, a tmpfs under bubblewrap (counted as memory)")
    open_files: int = _limit(64, "files", "open file descriptors of the sandbox process (RLIMIT_NOFILE)")
    processes: int = _limit(32, "processes", "processes of the sandbox's own uid (RLIMIT_NPROC; as root only)")
    max_frame_bytes: int = _limit(
        128 * MiB, "bytes", "one message between grader and sandbox; the grader may hold twice this per call")
    max_array_bytes: int = _limit(64 * MiB, "bytes", "one ndarray in a message")
    max_values: int = _limit(
        1 << 19, "values", "values in one reply from the sandbox (counted before the grader builds any)")
    max_string_bytes: int = _limit(4 * MiB, "characters", "all strings in one reply from the sandbox")
    max_dict_keys: int = _limit(65536, "entries", "all dict entries in one reply from the sandbox")
    max_callback_elements: int = _limit(
        1 << 20, "elements", "one array student code passes to a grader function (the f of numerical_gradient)")

    def __post_init__(self):
        for spec in dataclasses.fields(self):
            object.__setattr__(self, spec.name, _checked(spec, getattr(self, spec.name)))
        if self.max_array_bytes >= self.max_frame_bytes:
            # An array travels inside one message, with its header and the JSON beside it.
            raise LimitsError(f"limits.max_array_bytes ({self.max_array_bytes}) must be below "
                              f"limits.max_frame_bytes ({self.max_frame_bytes})")

    @classmethod
    def from_table(cls, table: object, *, source: str) -> Limits:
        """Limits from an assignment's [limits] table; defaults for the keys it leaves out."""
        if not isinstance(table, dict):
            raise LimitsError(f"{source}: [limits] must be a table")
        known = [spec.name for spec in dataclasses.fields(cls)]
        for key in table:
            if key not in known:
                raise LimitsError(f"{source}: unknown limit {key!r}; known: {', '.join(known)}")
        try:
            return cls(**table)
        except LimitsError as exc:
            raise LimitsError(f"{source}: {exc}") from None

    def effective_cpu_seconds(self) -> int:
        return int(self.cpu_seconds if self.cpu_seconds is not None else self.submission_seconds + 30)

    def reply_caps(self) -> Caps:
        """What one reply from the sandbox may cost the grader to decode."""
        return Caps(array_bytes=self.max_array_bytes, values=self.max_values,
                    string_bytes=self.max_string_bytes, dict_keys=self.max_dict_keys)


def _checked(spec: dataclasses.Field, value):
    kind, unit = spec.metadata["kind"], spec.metadata["unit"]
    if value is None and spec.default is None:
        return None
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int and not (numeric and isinstance(value, int)):
        raise LimitsError(f"limits.{spec.name} must be a whole number of {unit}, not {value!r:.40}")
    if kind is float and not numeric:
        raise LimitsError(f"limits.{spec.name} must be a number of {unit}, not {value!r:.40}")
    if not 0 < value < float("inf"):
        raise LimitsError(f"limits.{spec.name} must be positive and finite, not {value!r}")
    return float(value) if kind is float else value


def describe_limits() -> str:
    """Every limit an assignment's [limits] table may set: name, default, unit, what it bounds."""
    rows = [("name", "default", "unit", "what it bounds")]
    for spec in dataclasses.fields(Limits):
        default = "-" if spec.default is None else f"{spec.default:g}" if isinstance(spec.default, float) \
            else str(spec.default)
        rows.append((spec.name, default, spec.metadata["unit"], spec.metadata["help"]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(f"{name:<{widths[0]}}  {default:>{widths[1]}}  {unit:<{widths[2]}}  {help}"
                     for name, default, unit, help in rows)

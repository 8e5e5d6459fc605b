"""Run a student's module in a separate, limited OS process and talk to it with data only.

    with Sandbox(Limits.from_table(table, source="ch04"), isolation="auto") as sb:
        report = sb.load([("cell 3", "def softmax(x): ...")])
        y = sb.module.softmax(x)

The folder is split at the wall:
  wire/   what both sides share: codec (values <-> bytes, within caps), protocol (typed
          messages, the child's configuration), transport (frames on pipes)
  shim/   the child's side: the only code of ours that runs inside the sandbox
  the rest is the trusted side: limits, isolation and process (the wall and the process),
  uids (the dedicated uid a sandbox runs as, and ending what it left), pool (the warm pool: a template per layer, shim/zygote.py inside, forks each process),
  plotting (what matplotlib needs inside), readable (a copy of those and of wire/ and
  shim/ the fallback's dropped uid can read, when they are installed somewhere private),
  sandbox and proxy (the API, raising the errors in errors.py), inbound (what arrives,
  checked and clipped), labels, copyback, output, load_report.
Only wire/ and shim/ are visible inside the sandbox.
"""

from .errors import SandboxCrashed, StaleHandle, StudentFault, StudentRaised, TimeLimitExceeded, UnsafeValue
from .limits import Limits, LimitsError, describe_limits
from .load_report import BlockError, LoadReport
from .proxy import Handle, ModuleProxy
from .sandbox import Sandbox

__all__ = ["Sandbox", "Limits", "LimitsError", "describe_limits", "LoadReport", "BlockError", "Handle",
           "ModuleProxy", "StudentFault", "StudentRaised", "TimeLimitExceeded", "SandboxCrashed", "UnsafeValue",
           "StaleHandle"]

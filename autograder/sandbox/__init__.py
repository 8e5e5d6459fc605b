"""Run a student's module in a separate, limited OS process and talk to it with data only.

    with Sandbox(limits=Limits()) as sb:
        report = sb.load([("cell 3", "def softmax(x): ...")])
        y = sb.module.softmax(x)

Layers: codec (values <-> bytes), transport (frames on pipes), protocol (typed messages),
child (the shim inside the sandbox), isolation/process (the wall and the process),
sandbox + proxy (the trusted API, which raises the errors in errors.py).
"""

from .errors import SandboxCrashed, StaleHandle, StudentFault, StudentRaised, TimeLimitExceeded, UnsafeValue
from .limits import Limits, LoadReport
from .proxy import Handle, ModuleProxy
from .sandbox import Sandbox

__all__ = ["Sandbox", "Limits", "LoadReport", "Handle", "ModuleProxy", "StudentFault", "StudentRaised",
           "TimeLimitExceeded", "SandboxCrashed", "UnsafeValue", "StaleHandle"]

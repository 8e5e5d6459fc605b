"""Suite-wide: tests that start a sandbox say so with the `sandbox` marker.

They are the slow quarter of the suite (a sandbox costs a process, bubblewrap and a numpy
import). The marker lets a quick loop skip them (`pytest -m "not sandbox"`), and keeps
honest: a test that starts a sandbox in this process without it fails, naming the marker.
Sandboxes started in a child process (the CLI tests) are not seen here; those modules are
marked as a whole.
"""

from __future__ import annotations

import pytest

from autograder.sandbox.process import SandboxProcess


@pytest.fixture(autouse=True)
def _sandbox_marker_is_honest(request, monkeypatch):
    started = []
    real_init = SandboxProcess.__init__

    def init(self, *args, **kwargs):
        started.append(True)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(SandboxProcess, "__init__", init)
    yield
    if started and request.node.get_closest_marker("sandbox") is None:
        pytest.fail(f"{request.node.nodeid} starts a sandbox: mark it (or its module) "
                    "with pytest.mark.sandbox", pytrace=False)

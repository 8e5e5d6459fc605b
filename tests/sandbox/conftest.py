import pytest

from autograder.sandbox import Limits, Sandbox

LAYERS = ["bubblewrap", "fallback"]


@pytest.fixture
def make_sandbox():
    """Build sandboxes with short limits; every one is closed after the test."""
    made = []

    def build(isolation="auto", **overrides):
        # Generous enough for a busy 2-core machine; tests of the limits set their own.
        limits = Limits(**{"call_seconds": 5.0, "load_seconds": 5.0, **overrides})
        sb = Sandbox(limits=limits, isolation=isolation)
        made.append(sb)
        return sb

    yield build
    for sb in made:
        sb.close()

"""Shared fixtures for the reference tests."""

import numpy as np
import pytest


@pytest.fixture
def np_seed():
    """Seed numpy's global generator (the book's nets draw from np.random.randn) and put
    the previous state back afterwards, so test order cannot change other tests."""
    state = np.random.get_state()
    np.random.seed(0)
    yield
    np.random.set_state(state)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)

"""Salted hashes of rounded values: stable, salted, and refused on a rounding boundary."""

import numpy as np
import pytest

from dlfs_check.hashing import digest, digest_for


def test_the_same_rounded_values_give_the_same_digest():
    assert digest([0.31682707, -0.0], "s") == digest(np.array([0.316827071, 0.0]), "s")
    assert digest([0.5975], "s", 4) != digest([0.5976], "s", 4)


def test_the_salt_changes_the_digest():
    assert digest([1.0], "a") != digest([1.0], "b")


def test_the_digest_holds_no_value():
    assert "0.3168" not in digest([0.3168], "s") and len(digest([0.3168], "s")) == 32


def test_a_value_on_a_rounding_boundary_is_refused():
    with pytest.raises(ValueError):
        digest_for([0.12345], "s", 4)
    assert digest_for([0.1234], "s", 4) == digest([0.1234], "s", 4)

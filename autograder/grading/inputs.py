"""What keeps a submission's test inputs out of its author's reach.

Hidden tests draw their inputs from the `rng` fixture, seeded by the run's seed and the
test's id, and seed numpy where the student's code runs (resident.seed_numpy) with fixed
numbers. Both are public: results.json prints the seed, the suites are in the course's
repository. Whoever knows the inputs can compute the expected answers ahead (or keep
what a lent reference computed, see grading/roots.py) and hand them in. So both seeds
also take a salt: HMAC-SHA256 of the submission's sha256 under a secret of the batch.
The secret is made once per output folder and kept in its gradebook (regrades there
draw the same inputs and give the same scores); it is never printed. The sha256 makes a
resubmission with any change at all meet other inputs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_BYTES = 32


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def salt(secret: bytes, sha256: str) -> bytes:
    """The salt of one submission's inputs, from the batch's secret and the submission's bytes."""
    return hmac.new(secret, sha256.encode("ascii"), hashlib.sha256).digest()


def entropy(salt: bytes) -> list[int]:
    """The salt as 32-bit words, for a numpy SeedSequence (none for no salt)."""
    return [int.from_bytes(salt[i:i + 4], "little") for i in range(0, len(salt), 4)]


def numpy_seed(salt: bytes, seed: int) -> int:
    """The seed a suite asks numpy's global generator for, salted: a 32-bit number, as
    np.random.seed takes, from which neither salt nor secret can be recovered."""
    if not salt:
        return seed
    digest = hmac.new(salt, b"numpy %d" % seed, hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "little")

"""Are the test inputs out of the student's reach: salted per batch secret and per submission?"""

import types

import numpy as np

from autograder.grading import inputs
from autograder.grading.plugin import GradingPlugin
from autograder.grading.resident import seed_numpy
from autograder.grading.student import StudentView
from autograder.gradescope import secret as gradescope_secret

SHA = "ab" * 32


def _draws(salt: bytes, seed: int = 0) -> list[float]:
    return GradingPlugin(None, seed=seed, salt=salt)._rng_for("test_x.py::test_y").random(4).tolist()


def test_the_rng_fixture_depends_on_the_secret_and_on_the_submission():
    salt = inputs.salt(b"secret", SHA)
    assert _draws(salt) == _draws(inputs.salt(b"secret", SHA))             # a regrade agrees
    assert _draws(salt) != _draws(inputs.salt(b"other secret", SHA))       # another batch
    assert _draws(salt) != _draws(inputs.salt(b"secret", "cd" * 32))       # a changed notebook
    assert _draws(salt) != _draws(b"")                                     # the seed alone no longer says
    # Without a salt (the project's own tests of a plain module), the draws are the old ones.
    key = __import__("zlib").crc32(b"test_x.py::test_y")
    assert _draws(b"", 3) == np.random.default_rng([3, key]).random(4).tolist()


def _numpy_draws(salt: bytes) -> list[float]:
    view = StudentView(types.SimpleNamespace(np=np), salt=salt)
    assert seed_numpy(view, 0)
    return np.random.random(3).tolist()


def test_numpy_is_seeded_with_a_salted_seed_where_the_students_code_runs():
    salt = inputs.salt(b"secret", SHA)
    assert _numpy_draws(salt) == _numpy_draws(salt)
    assert _numpy_draws(salt) != _numpy_draws(inputs.salt(b"secret", "cd" * 32))
    np.random.seed(0)
    unsalted = np.random.random(3).tolist()
    assert _numpy_draws(b"") == unsalted                                 # no salt: the seed asked for
    assert _numpy_draws(salt) != unsalted
    inplace = StudentView(types.SimpleNamespace(np=np), salt=salt).inplace
    assert seed_numpy(inplace, 0) and np.random.random(3).tolist() == _numpy_draws(salt)


def test_gradescope_takes_the_secret_from_the_environment_else_a_new_one(monkeypatch):
    monkeypatch.setenv(gradescope_secret.SECRET_ENV, "course secret")
    assert gradescope_secret.input_secret() == b"course secret"
    monkeypatch.delenv(gradescope_secret.SECRET_ENV)
    assert gradescope_secret.input_secret() != gradescope_secret.input_secret()

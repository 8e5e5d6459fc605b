"""Does each chapter package give its items, never a submodule that shares an item's name?

`reference.ch07_cnn.im2col` is the function even after every module of every chapter has
been imported (importing a submodule binds its name on the package, which would hide an
item of the same name if the package did not bind the item last).
"""

import importlib
import inspect
import pkgutil
import types

import pytest

import reference
from autograder.chapters import chapter_dirs

CHAPTERS = [f"reference.{d.name}" for d in chapter_dirs()] + [
    f"reference.{m.name}" for m in pkgutil.iter_modules(reference.__path__) if m.ispkg]


@pytest.fixture(scope="module", autouse=True)
def every_module_loaded():
    for name in sorted(set(CHAPTERS)):
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{name}.{module.name}")


@pytest.mark.parametrize("name", sorted(set(CHAPTERS)))
def test_every_item_name_is_the_item(name):
    package = importlib.import_module(name)
    assert package.__all__
    for item in package.__all__:
        value = getattr(package, item)
        assert not isinstance(value, types.ModuleType), f"{name}.{item} is a module"
        assert inspect.isfunction(value) or inspect.isclass(value), (name, item)

"""The examples in docstrings are tests: every module's doctests pass."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import veteran_affairs

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(veteran_affairs.__path__, "veteran_affairs.")
    if info.name != "veteran_affairs.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)

    assert 0 == result.failed


def test_value_modules_carry_examples() -> None:
    counted = {
        name: doctest.testmod(importlib.import_module(name)).attempted
        for name in ("veteran_affairs.identity", "veteran_affairs.money")
    }

    assert all(attempted > 0 for attempted in counted.values()), counted

"""The examples in docstrings are tests: every module's doctests pass."""

from __future__ import annotations

import contextlib
import doctest
import importlib
import io
import pkgutil
import re

import pytest

import veteran_affairs
from tests.conftest import missing_optional_package_named

NO_MODULE = re.compile(r"No module named '(\w+)")

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(veteran_affairs.__path__, "veteran_affairs.")
    if info.name != "veteran_affairs.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str) -> None:
    module = importlib.import_module(name)
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)

    missing = [
        top for top in NO_MODULE.findall(report.getvalue()) if missing_optional_package_named(top)
    ]
    if result.failed and missing:  # examples of the batch path without numpy, say
        pytest.skip(f"{name}'s examples need {missing[0]}, which is not installed")
    assert 0 == result.failed, report.getvalue()


def test_value_modules_carry_examples() -> None:
    counted = {
        name: doctest.testmod(importlib.import_module(name)).attempted
        for name in ("veteran_affairs.identity", "veteran_affairs.money")
    }

    assert all(attempted > 0 for attempted in counted.values()), counted

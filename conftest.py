"""Run the code examples in the documentation as tests (Sybil).

Every ```` ```python ```` block in ``README.md`` and ``docs/*.md`` is an example: a block that
starts with ``>>>`` is checked as a doctest, any other block is executed and must not raise.
Blocks of one page share a namespace, top to bottom. A block can be skipped with a MyST
comment ``% skip: next`` or an HTML comment ``<!-- skip: next -->``. The built site under
``docs/_build`` is never collected. Without an optional extra, an example that needs it is
skipped (see the end of this file).
"""

from __future__ import annotations

import doctest
import re
from collections.abc import Generator
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.myst import DocTestDirectiveParser, PythonCodeBlockParser, SkipParser
from tests.conftest import (
    OPTIONAL_PACKAGES,
    missing_optional_package,
    missing_optional_package_named,
)

_OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=_OPTIONFLAGS),
        DocTestDirectiveParser(optionflags=_OPTIONFLAGS),
        SkipParser(),
    ],
    patterns=["README.md", "docs/*.md"],
    excludes=["docs/_build/*"],
    path=".",
    name="docs",
).pytest()


# --- examples that need an optional extra ----------------------------------------------------
# Where numpy, pandas, openpyxl, dask or psycopg is not installed, an example that needs it is
# skipped, not failed (as a test module that imports one is: tests/conftest.py), and so are
# the examples after it on its page, which share its namespace.

_NO_MODULE = re.compile(r"No module named '([\w.]+)'")
_PAGES_MISSING: dict[Path, str] = {}  # a page -> the optional package one of its examples lacked


def _missing_package(error: BaseException) -> str | None:
    found = missing_optional_package(error)
    if found is None:  # a doctest example's failure carries the traceback as text
        names = (name.partition(".")[0] for name in _NO_MODULE.findall(str(error)))
        found = next((top for top in names if missing_optional_package_named(top)), None)
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed and call.excinfo is not None:
        top = _missing_package(call.excinfo.value)
        if top is not None:
            if item.path.suffix == ".md":
                _PAGES_MISSING[item.path] = top
            report.outcome = "skipped"
            report.longrepr = (
                str(item.path),
                item.location[1] or 0,
                f"Skipped: needs {top} ({OPTIONAL_PACKAGES[top]})",
            )
    return report


def pytest_runtest_setup(item: pytest.Item) -> None:
    top = _PAGES_MISSING.get(item.path)
    if top is not None:
        pytest.skip(f"an example above on {item.path.name} needs {top} ({OPTIONAL_PACKAGES[top]})")

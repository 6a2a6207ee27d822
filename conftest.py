"""Run the code examples in the documentation as tests (Sybil).

Every ```` ```python ```` block in ``README.md`` and ``docs/*.md`` is an example: a block that
starts with ``>>>`` is checked as a doctest, any other block is executed and must not raise.
Blocks of one page share a namespace, top to bottom. A block can be skipped with a MyST
comment ``% skip: next`` or an HTML comment ``<!-- skip: next -->``. The built site under
``docs/_build`` is never collected.
"""

from __future__ import annotations

import doctest

from sybil import Sybil
from sybil.parsers.myst import DocTestDirectiveParser, PythonCodeBlockParser, SkipParser

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

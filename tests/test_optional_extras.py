"""The suite collects without the optional extras: a module that needs one is skipped.

A child interpreter hides every optional package (an import hook that finds none of them, as
if they were not installed) and runs ``pytest --collect-only`` over the whole suite and the
docs. Collection must succeed, each module that needs a hidden package reported as a skip
that names it (``tests/conftest.py``), never as an error.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import OPTIONAL_PACKAGES

ROOT = Path(__file__).resolve().parent.parent

_CHILD = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder

    HIDDEN = set(sys.argv[1].split(","))


    class Hide(MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            if fullname.partition(".")[0] in HIDDEN:
                raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
            return None


    sys.meta_path.insert(0, Hide())
    import pytest

    sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]))
    """
)


def test_the_suite_collects_with_every_optional_package_missing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, ",".join(OPTIONAL_PACKAGES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    summary = done.stdout[-3000:]
    # A collection error would end the run with exit code 2 ("Interrupted: N errors").
    assert 0 == done.returncode, summary + done.stderr[-3000:]
    # The hook really hid them: the modules that need openpyxl or psycopg were skipped.
    assert "needs openpyxl (the excel extra)" in done.stdout, summary
    assert "needs psycopg (the postgres extra)" in done.stdout, summary

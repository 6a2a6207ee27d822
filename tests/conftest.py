"""Shared pytest configuration.

Hypothesis profiles, chosen by ``HYPOTHESIS_PROFILE``:

* ``ci`` (what ``make test`` uses): more examples, no deadline (CI machines are shared and
  noisy; speed is measured by the benchmarks, never by tests), derandomised so a failure
  reproduces.
* ``dev`` (default): fewer examples for a quick local loop.

Optional extras: a test module that imports numpy, pandas, dask, openpyxl, psycopg or one of
the test oracles of the ``dev`` extra is *skipped* (never an error) where that package is not
installed, so ``pytest`` collects and runs with only the ``testing`` extra
(``tests/test_optional_extras.py`` checks it).

The demo (``veteran-affairs demo --size 300``, the whole synthetic Guangxi network) runs once
per run and is shared by the command-line tests (:func:`demo_run`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Top-level package of each optional dependency -> what installs it (pyproject.toml).
OPTIONAL_PACKAGES = {
    "numpy": "the batch extra",
    "pandas": "the pandas extra",
    "openpyxl": "the excel extra",
    "dask": "the dask extra",
    "distributed": "the dask extra",
    "psycopg": "the postgres extra",
    "chinese_calendar": "a test oracle of the dev extra",
    "holidays": "a test oracle of the dev extra",
}


def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except ImportError:  # an import hook that hides the package (tests/test_optional_extras.py)
        return False


def missing_optional_package_named(package: str) -> bool:
    """Whether ``package`` is one of the optional packages and is not installed."""
    return package in OPTIONAL_PACKAGES and not _installed(package)


def missing_optional_package(error: BaseException | None) -> str | None:
    """The optional package whose absence caused ``error`` (or its causes), else None.

    Only a package that is really not installed counts: a broken install of an extra, or a
    missing module of the library itself, stays an error.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, ModuleNotFoundError) and error.name:
            top = error.name.partition(".")[0]
            if missing_optional_package_named(top):
                return top
        error = error.__cause__ or error.__context__
    return None


class _ModuleOfOptionalPackages(pytest.Module):
    """A test module that is skipped, not an error, when an optional package is missing."""

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        try:
            return list(super().collect())
        except self.CollectError as error:
            top = missing_optional_package(error.__cause__)
            if top is None:
                raise
            pytest.skip(
                f"{self.nodeid} needs {top} ({OPTIONAL_PACKAGES[top]})", allow_module_level=True
            )


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module:
    return _ModuleOfOptionalPackages.from_parent(parent, path=module_path)


# --- one demo store for the command-line tests ----------------------------------------------

DEMO_SIZE = 300


@attrs.frozen(kw_only=True)
class DemoRun:
    """What ``veteran-affairs demo --size 300`` left: run in ``folder``, as ``make demo`` runs.

    Attributes:
        folder: where it ran; the store has the default name there.
        store: the SQLite store it wrote. Shared: read it, never change it (copy it first).
        out: what it printed on standard output.
        err: what it printed on standard error.
    """

    folder: Path
    store: Path
    out: str
    err: str


def _run_demo(folder: Path) -> None:
    from veteran_affairs import cli
    from veteran_affairs.cli._demo import DEFAULT_STORE

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["demo", "--size", str(DEMO_SIZE)])
    assert 0 == status, err.getvalue()
    (folder / "out.txt").write_text(out.getvalue(), encoding="utf-8")
    (folder / "err.txt").write_text(err.getvalue(), encoding="utf-8")
    (folder / "done").write_text(str(DEFAULT_STORE), encoding="utf-8")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` among the processes of this run (no-op without fcntl)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: each worker runs the demo itself
        yield
        return
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo store and output, made once per run (~15 s): by the first pytest-xdist worker
    that asks for them, in the run's shared temporary folder, and read by the others."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / "demo-run"
    with _locked(base / "demo-run.lock"):
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            _run_demo(folder)
    return DemoRun(
        folder=folder,
        store=folder / (folder / "done").read_text(encoding="utf-8"),
        out=(folder / "out.txt").read_text(encoding="utf-8"),
        err=(folder / "err.txt").read_text(encoding="utf-8"),
    )

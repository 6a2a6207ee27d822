"""The public surface is short and explicit: ``__all__`` lists it and ``dir()`` shows it."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PUBLIC_MODULES = [
    "veteran_affairs",
    "veteran_affairs.casework",
    "veteran_affairs.casework.deadlines",
    "veteran_affairs.casework.discharge",
    "veteran_affairs.casework.leaders",
    "veteran_affairs.casework.legacy",
    "veteran_affairs.casework.petitions",
    "veteran_affairs.casework.requests",
    "veteran_affairs.casework.villages",
    "veteran_affairs.cli",
    "veteran_affairs.cycles",
    "veteran_affairs.cycles.calendar",
    "veteran_affairs.cycles.payments",
    "veteran_affairs.cycles.periods",
    "veteran_affairs.cycles.routines",
    "veteran_affairs.divisions",
    "veteran_affairs.errors",
    "veteran_affairs.frames",
    "veteran_affairs.hierarchy",
    "veteran_affairs.hierarchy.assistance_report",
    "veteran_affairs.hierarchy.casework_report",
    "veteran_affairs.hierarchy.columnar",
    "veteran_affairs.hierarchy.compliance_report",
    "veteran_affairs.hierarchy.consistency",
    "veteran_affairs.hierarchy.network_report",
    "veteran_affairs.hierarchy.partial",
    "veteran_affairs.hierarchy.plaques",
    "veteran_affairs.hierarchy.population_report",
    "veteran_affairs.hierarchy.report",
    "veteran_affairs.hierarchy.tree",
    "veteran_affairs.identity",
    "veteran_affairs.jurisdictions",
    "veteran_affairs.models",
    "veteran_affairs.money",
    "veteran_affairs.parameters",
    "veteran_affairs.partitions",
    "veteran_affairs.repositories",
    "veteran_affairs.repositories.memory",
    "veteran_affairs.repositories.postgres",
    "veteran_affairs.repositories.protocols",
    "veteran_affairs.repositories.records",
    "veteran_affairs.repositories.sqlite",
    "veteran_affairs.rosters",
    "veteran_affairs.rules",
    "veteran_affairs.serialization",
    "veteran_affairs.statutes",
    "veteran_affairs.synthetic",
    "veteran_affairs.testing.casework_strategies",
    "veteran_affairs.testing.store_contract",
    "veteran_affairs.testing.strategies",
    "veteran_affairs.whatif",
]


def isort_order(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps ``__all__`` in: CONSTANTS, then Classes, then the rest."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_every_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)

    assert sorted(exported, key=isort_order) == exported
    assert len(set(exported)) == len(exported)
    assert [] == [n for n in exported if not hasattr(module, n)]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_dir_shows_only_the_public_names(name: str) -> None:
    module = importlib.import_module(name)

    assert sorted(module.__all__) == sorted(dir(module))


def test_importing_the_library_needs_neither_hypothesis_pandas_nor_numpy() -> None:
    code = (
        "import sys, veteran_affairs, veteran_affairs.models, veteran_affairs.serialization;"
        "import veteran_affairs.rules;"
        "bad = [m for m in ('hypothesis', 'pandas', 'numpy') if m in sys.modules];"
        "print(','.join(bad))"
    )
    env = {"HYPOTHESIS_NO_PLUGINS": "1", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )

    assert "" == done.stdout.strip()


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        ("InvalidValue", ValueError),
        ("InvalidResidentId", ValueError),
        ("InvalidDivisionCode", ValueError),
        ("InvalidAmount", ValueError),
        ("InconsistentRecord", ValueError),
        ("IllegalTransition", ValueError),
        ("UnknownDivision", LookupError),
        ("OrphanDivisions", ValueError),
        ("ParameterNotInForce", LookupError),
        ("ParameterOutOfDate", LookupError),
        ("ParameterMissing", LookupError),
        ("UnknownRule", LookupError),
        ("UnknownJurisdiction", LookupError),
        ("WrongSubject", TypeError),
    ],
)
def test_every_error_is_a_library_error_and_the_natural_builtin(
    error: str, builtin: type[Exception]
) -> None:
    errors = importlib.import_module("veteran_affairs.errors")
    cls = getattr(errors, error)

    assert issubclass(cls, errors.VeteranAffairsError)
    assert issubclass(cls, builtin)


def test_errors_survive_pickling_with_their_fields() -> None:
    import pickle

    from veteran_affairs.errors import IllegalTransition, InvalidResidentId, UnknownDivision

    for error in (
        InvalidResidentId("resident_id", "110105********002Y", "check character", "校验码"),
        IllegalTransition("case 1", "applied", "paid"),
        UnknownDivision("459999000000"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert (type(error), str(error)) == (type(copy), str(copy))

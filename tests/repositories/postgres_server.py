"""A PostgreSQL server for tests and benchmarks: the one given, or a throw-away cluster.

:func:`postgres_dsn` (a context manager) yields a libpq connection string:

* if the environment variable ``VA_POSTGRES_DSN`` is set, that server is used as it is
  (tests isolate themselves in schemas of their own, so a shared database is fine);
* otherwise a throw-away cluster is created with Debian's ``postgresql`` binaries
  (``initdb`` under ``/usr/lib/postgresql/*/bin``, or ``pg_config --bindir``) in a temporary
  directory, listening only on a Unix socket in that directory, and stopped and deleted on
  exit. ``initdb`` refuses to run as root, so under root it runs as the ``postgres`` user
  (which Debian's package creates) through ``runuser``.

When no server can be had, :class:`ServerUnavailable` says why and what to do
(``scripts/install-postgres.sh``): tests fail with that message, they are never skipped.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["DSN_VARIABLE", "ServerUnavailable", "postgres_dsn", "throwaway_cluster"]

DSN_VARIABLE = "VA_POSTGRES_DSN"
_PORT = 54329  # only names the socket file: the cluster listens on no TCP port
# Settings of a throw-away cluster that only tests use: durability is not wanted.
_FAST = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")


def __dir__() -> list[str]:
    return __all__


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server could be started or reached (the message says why)."""


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    raise ServerUnavailable(
        "PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin nor in "
        f"pg_config --bindir. Run scripts/install-postgres.sh, or set {DSN_VARIABLE} to the "
        "connection string of a server."
    )


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return command if owner is None else ["runuser", "-u", owner, "--", *command]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServerUnavailable(
            f"{what} failed (exit {done.returncode}): {' '.join(command)}\n"
            f"{done.stdout}\n{done.stderr}"
        )


@contextmanager
def throwaway_cluster(*, durable: bool = False) -> Iterator[str]:
    """A new cluster in a temporary directory, on a Unix socket there; deleted on exit.

    ``durable=False`` (tests) turns ``fsync`` and ``synchronous_commit`` off; benchmarks pass
    ``durable=True`` for PostgreSQL's default, crash-safe settings.
    """
    bindir = _bindir()
    owner: str | None = None
    user = pwd.getpwuid(os.getuid()).pw_name
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ServerUnavailable(
                "running as root, and initdb refuses root: the 'postgres' user that Debian's "
                "postgresql package creates is missing (run scripts/install-postgres.sh)"
            ) from None
        owner = user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="va-pg-"))
    data = folder / "data"
    log = folder / "server.log"
    if owner is not None:
        shutil.chown(folder, user=owner)
    started = False
    try:
        _run(
            _as_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    user,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                owner,
            ),
            "initdb",
        )
        options = ["-k", str(folder), "-c", "listen_addresses=", "-p", str(_PORT)]
        if not durable:
            options.extend(_FAST)
        _run(
            _as_owner(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    " ".join(f"'{o}'" for o in options),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                owner,
            ),
            "pg_ctl start",
        )
        started = True
        yield f"host={folder} port={_PORT} user={user} dbname=postgres"
    except ServerUnavailable as error:
        text = log.read_text(errors="replace") if log.exists() else ""
        raise ServerUnavailable(f"{error}\nserver log:\n{text[-4000:]}") from None
    finally:
        if started:
            subprocess.run(
                _as_owner(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                    owner,
                ),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(dsn: str) -> None:
    import psycopg

    deadline = time.monotonic() + 10
    while True:
        try:
            psycopg.connect(dsn, connect_timeout=5).close()
            return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                raise ServerUnavailable(f"cannot connect to {DSN_VARIABLE}: {error}") from None
            time.sleep(0.2)


@contextmanager
def postgres_dsn(*, durable: bool = False) -> Iterator[str]:
    """``VA_POSTGRES_DSN`` if set, else the DSN of a throw-away cluster (see the module)."""
    given = os.environ.get(DSN_VARIABLE)
    if given:
        _wait_for(given)
        yield given
        return
    with throwaway_cluster(durable=durable) as dsn:
        _wait_for(dsn)
        yield dsn

#!/usr/bin/env bash
# Install Debian's PostgreSQL server for the PostgresStore tests, unless it is already there.
#
# The tests start a throw-away cluster with initdb and pg_ctl from /usr/lib/postgresql/*/bin
# (tests/repositories/postgres_server.py); this script makes sure those exist. It installs
# the `postgresql` package with apt-get, non-interactively, only when no initdb is found,
# and says what it did. Needs root (CI runs as root) or sudo. Set VA_POSTGRES_DSN instead to
# test against a server you already have.
set -euo pipefail

found() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null
}

if [ -n "${VA_POSTGRES_DSN:-}" ]; then
    echo "install-postgres: VA_POSTGRES_DSN is set; the tests use that server, nothing to install"
    exit 0
fi

if found; then
    echo "install-postgres: already installed: $(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort | tail -n 1)"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo > /dev/null; then
    SUDO=(sudo)
else
    echo "install-postgres: PostgreSQL is missing and this user cannot install it (not root, no sudo)" >&2
    exit 1
fi

echo "install-postgres: no initdb under /usr/lib/postgresql/*/bin: installing Debian's postgresql package"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends postgresql > /dev/null

if ! found; then
    echo "install-postgres: apt-get installed postgresql but no initdb is under /usr/lib/postgresql/*/bin" >&2
    exit 1
fi
echo "install-postgres: installed: $(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort | tail -n 1)"

"""The SQLite schema and its forward migrations (private engine of ``sqlite``).

Version 1 is the first schema; every later version is a list of statements that takes a
database from the version before to it. :func:`migrate` applies the missing ones in one
transaction and records the version reached in ``schema_version``; a database newer than
:data:`LATEST` is refused. Never edit a released migration: add the next one.

Conventions: dates are ISO ``YYYY-MM-DD`` text (so they compare as text), division codes the
12-digit text, money integer fen, enums their ``.value``. Child tables hold the ordered
collections of an aggregate (``position`` from 0) and go with their parent
(``ON DELETE CASCADE``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeAlias

from veteran_affairs.repositories._store_errors import IncompatibleSchema

Step: TypeAlias = str | Callable[[sqlite3.Connection], None]
"""One step of a migration: an SQL statement, or a function rewriting rows in Python."""

_APPEND_ONLY = "SELECT RAISE(ABORT, 'the audit log is append-only (审计日志只能追加)')"

_V1: tuple[Step, ...] = (
    """CREATE TABLE persons (
        resident_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('veteran', 'survivor', 'serving-member')),
        name TEXT NOT NULL,
        sex TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        hukou_division TEXT NOT NULL,
        hukou_type TEXT NOT NULL,
        ethnicity TEXT,
        phone TEXT,
        died_on TEXT,
        detail TEXT NOT NULL,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX persons_division ON persons (hukou_division)",
    """CREATE TABLE person_statuses (
        resident_id TEXT NOT NULL REFERENCES persons (resident_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        category TEXT NOT NULL,
        since TEXT NOT NULL,
        until TEXT,
        PRIMARY KEY (resident_id, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX person_statuses_category ON person_statuses (category, since)",
    """CREATE TABLE households (
        household_id TEXT PRIMARY KEY,
        hukou_division TEXT NOT NULL,
        head TEXT NOT NULL,
        plaque_hung_on TEXT,
        plaque_recovered_on TEXT,
        plaque_recovery_reason TEXT,
        applied_on TEXT,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX households_division ON households (hukou_division)",
    """CREATE TABLE household_members (
        household_id TEXT NOT NULL REFERENCES households (household_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id TEXT NOT NULL,
        PRIMARY KEY (household_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE plaque_members (
        household_id TEXT NOT NULL REFERENCES households (household_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id TEXT NOT NULL,
        basis TEXT NOT NULL,
        since TEXT NOT NULL,
        died_on TEXT,
        certificate_holder INTEGER,
        PRIMARY KEY (household_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE plaque_disqualifications (
        household_id TEXT NOT NULL REFERENCES households (household_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        on_date TEXT NOT NULL,
        lifted_on TEXT,
        PRIMARY KEY (household_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE stations (
        station_id TEXT PRIMARY KEY,
        division TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT,
        status TEXT NOT NULL,
        established_on TEXT,
        closed_on TEXT,
        office_area_m2 TEXT,
        staff INTEGER NOT NULL,
        has_institution INTEGER NOT NULL,
        has_establishment INTEGER NOT NULL,
        has_personnel INTEGER NOT NULL,
        has_funding INTEGER NOT NULL,
        has_support INTEGER NOT NULL,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX stations_division ON stations (division)",
    """CREATE TABLE cases (
        case_id TEXT PRIMARY KEY,
        applicant TEXT NOT NULL,
        division TEXT NOT NULL,
        cause TEXT NOT NULL,
        incident_on TEXT NOT NULL,
        status TEXT NOT NULL,
        applied_on TEXT NOT NULL,
        requested_fen INTEGER,
        approved_fen INTEGER,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX cases_division ON cases (division)",
    "CREATE INDEX cases_status ON cases (status, division)",
    "CREATE INDEX cases_incident ON cases (incident_on)",
    """CREATE TABLE case_history (
        case_id TEXT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        on_date TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT,
        PRIMARY KEY (case_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE case_funding (
        case_id TEXT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        source TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        PRIMARY KEY (case_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE activities (
        activity_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        unit TEXT NOT NULL,
        held_on TEXT NOT NULL,
        participants INTEGER NOT NULL,
        topic TEXT,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX activities_unit ON activities (unit)",
    "CREATE INDEX activities_held ON activities (held_on)",
    """CREATE TABLE activity_contacts (
        activity_id TEXT NOT NULL REFERENCES activities (activity_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id TEXT NOT NULL,
        PRIMARY KEY (activity_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE audit_log (
        sequence INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        entity TEXT NOT NULL,
        key TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('added', 'updated', 'removed')),
        version INTEGER NOT NULL,
        division TEXT NOT NULL,
        before TEXT,
        after TEXT
    )""",
    "CREATE INDEX audit_log_key ON audit_log (entity, key)",
    "CREATE INDEX audit_log_actor ON audit_log (actor)",
    "CREATE INDEX audit_log_at ON audit_log (at)",
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN {_APPEND_ONLY}; END",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN {_APPEND_ONLY}; END",
)

# Version 2: an activity may name the reporting period it is for (Activity.for_period).
_V2: tuple[Step, ...] = (
    "ALTER TABLE activities ADD COLUMN for_period TEXT",
    "CREATE INDEX activities_period ON activities (for_period)",
)


def _reencode_person_details(connection: sqlite3.Connection) -> None:
    """Rewrite every ``persons.detail`` from cattrs dictionaries to the array codec."""
    from veteran_affairs.repositories._mappers import legacy_detail_to_current

    rows = connection.execute("SELECT resident_id, kind, detail FROM persons").fetchall()
    connection.executemany(
        "UPDATE persons SET detail = ? WHERE resident_id = ?",
        [(legacy_detail_to_current(kind, detail), key) for key, kind, detail in rows],
    )


# Version 3: a person's nested parts (``detail``) move from cattrs JSON objects to the
# hand-written JSON-array codec of ``_mappers``; the submitted report figures get their
# tables (a figure keeps its type, ``int`` or ``decimal``, and its exact text). An audit
# entry of an addition may now keep its ``after`` by reference (NULL: see ``sqlite``), which
# needs no change of the table.
_V3: tuple[Step, ...] = (
    _reencode_person_details,
    """CREATE TABLE report_submissions (
        submission_key TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        kind TEXT NOT NULL,
        period TEXT NOT NULL,
        submitted_on TEXT NOT NULL,
        version INTEGER NOT NULL,
        UNIQUE (unit, kind, period)
    )""",
    "CREATE INDEX report_submissions_kind ON report_submissions (kind, period)",
    "CREATE INDEX report_submissions_period ON report_submissions (period)",
    """CREATE TABLE report_figures (
        submission_key TEXT NOT NULL
            REFERENCES report_submissions (submission_key) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        figure_key TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('int', 'decimal')),
        figure TEXT NOT NULL,
        PRIMARY KEY (submission_key, position)
    ) WITHOUT ROWID""",
)

# The persons' columns from version 4 on (a release's SQL must not change: add to it only by a
# new migration), and the list that copies them.
_PERSON_COLUMNS = """
        resident_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('veteran', 'survivor', 'serving-member')),
        name TEXT NOT NULL,
        sex TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        hukou_division TEXT NOT NULL,
        hukou_type TEXT NOT NULL,
        ethnicity TEXT,
        phone TEXT,
        died_on TEXT,
        detail TEXT NOT NULL,
        version INTEGER NOT NULL"""
_PERSON_COPY = (
    "resident_id, kind, name, sex, birth_date, hukou_division, hukou_type, ethnicity, phone, "
    "died_on, detail, version"
)

# Version 4: persons are clustered by place. The table becomes ``WITHOUT ROWID`` with the
# primary key ``(hukou_division, resident_id)``, so the persons of one subtree (a county, a
# township) lie together and a subtree query reads a contiguous range instead of visiting
# rows scattered through the file; ``resident_id`` stays unique (its index serves ``get``
# and the foreign keys of ``person_statuses``). This replaces three B-trees (the rowid
# table, the key's index and ``persons_division``) by two. The rows are copied in SQL;
# :func:`migrate` runs with foreign keys off, so dropping the old table does not cascade to
# the statuses, and checks them before committing.
_V4: tuple[Step, ...] = (
    f"""CREATE TABLE persons_v4 ({_PERSON_COLUMNS},
        PRIMARY KEY (hukou_division, resident_id)
    ) WITHOUT ROWID""",
    f"INSERT INTO persons_v4 SELECT {_PERSON_COPY} FROM persons",
    "DROP TABLE persons",
    "ALTER TABLE persons_v4 RENAME TO persons",
)

# Version 5: persons go back to an ordinary (rowid) table, appended to in the order records
# arrive, with ``resident_id`` unique and a covering index ``persons_place`` on
# ``(hukou_division, resident_id, kind, name, birth_date, died_on, version)``: a subtree is a
# range of that index, and its summaries (``PersonSummary``) are read from the index alone.
# Unlike the clustered table of version 4, the place index can be dropped for a large bulk
# import and rebuilt at its end by one sort (about twice as fast at a million persons: see
# ``docs/benchmarks.md``). ``deferred_indexes`` records the indexes such an import dropped,
# with their SQL, in the same transaction as the drop, so an import killed half-way leaves
# the list of what to rebuild (``SqliteStore.restore_indexes``). Rows are copied in place order.
_V5: tuple[Step, ...] = (
    f"""CREATE TABLE persons_v5 ({_PERSON_COLUMNS}
    )""",
    f"INSERT INTO persons_v5 SELECT {_PERSON_COPY} FROM persons ORDER BY hukou_division, resident_id",
    "DROP TABLE persons",
    "ALTER TABLE persons_v5 RENAME TO persons",
    (
        "CREATE INDEX persons_place ON persons "
        "(hukou_division, resident_id, kind, name, birth_date, died_on, version)"
    ),
    """CREATE TABLE deferred_indexes (
        name TEXT PRIMARY KEY,
        sql TEXT NOT NULL
    ) WITHOUT ROWID""",
)

# Version 6: records of registered kinds (``veteran_affairs.repositories.records``: the
# casework records, and any attrs class registered downstream) share one table. A record is
# its kind's name, its key (unique within the kind), the 12-digit division that scoping and
# ``within`` look at, its version, and ``document``: the JSON of the converter's
# ``unstructure`` of the record, structured back on reading. The index on ``(kind,
# division)`` serves a kind's subtree queries; the primary key a kind's key order.
_V6: tuple[Step, ...] = (
    """CREATE TABLE casework_records (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        division TEXT NOT NULL,
        version INTEGER NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    )""",
    "CREATE INDEX casework_records_division ON casework_records (kind, division)",
)

MIGRATIONS: tuple[tuple[Step, ...], ...] = (_V1, _V2, _V3, _V4, _V5, _V6)
"""``MIGRATIONS[n - 1]`` takes a database from version ``n - 1`` to ``n``: SQL statements,
or functions of the connection where rows must be rewritten in Python."""

LATEST = len(MIGRATIONS)


def version_of(connection: sqlite3.Connection) -> int:
    """The schema version of the database (0: empty)."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if found is None:
        return 0
    row = connection.execute("SELECT version FROM schema_version").fetchone()
    return 0 if row is None else int(row[0])


def migrate(connection: sqlite3.Connection, *, to: int = LATEST) -> int:
    """Apply the missing migrations up to version ``to``, in one transaction; returns it.

    Foreign keys are off while it runs (a migration that rebuilds a parent table must not
    cascade to its children; SQLite ignores the switch inside a transaction, so it is set
    before ``BEGIN``), checked with ``PRAGMA foreign_key_check`` before ``COMMIT``, and put
    back as they were.
    """
    keys = connection.execute("PRAGMA foreign_keys").fetchone()[0]
    connection.execute("PRAGMA foreign_keys = OFF")
    try:
        return _migrate(connection, to)
    finally:
        connection.execute(f"PRAGMA foreign_keys = {'ON' if keys else 'OFF'}")


def _migrate(connection: sqlite3.Connection, to: int) -> int:
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = version_of(connection)
        if current > LATEST:
            raise IncompatibleSchema(current, LATEST)
        if current == 0:
            connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            connection.execute("INSERT INTO schema_version (version) VALUES (0)")
        for version in range(current + 1, to + 1):
            for step in MIGRATIONS[version - 1]:
                if isinstance(step, str):
                    connection.execute(step)
                else:
                    step(connection)
            connection.execute("UPDATE schema_version SET version = ?", (version,))
        broken = connection.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            raise sqlite3.IntegrityError(f"a migration left a broken foreign key: {broken}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return max(current, to)

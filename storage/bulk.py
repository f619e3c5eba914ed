"""The crawl's hot write path: sellers, listings and observations as driver-level SQL.

`storage.repo.upsert_listings` runs once per pipeline batch for every page a crawl stores.
Through SQLAlchemy Core most of its time went into per-parameter bind processing (our
`UTCDateTime` decorator, SQLite's datetime formatting, JSON serialisation), not into the
database. Here the rows are converted once, in plain Python, to what the driver takes, and
each table's batch goes to the database as one ``INSERT … ON CONFLICT … RETURNING`` (a
multi-row VALUES list on SQLite, ``unnest`` of one array per column on PostgreSQL) through
the driver's cursor on the connection SQLAlchemy holds: still the caller's transaction.

The values written are the ones SQLAlchemy itself would write: SQLite datetimes as naive
UTC text in SQLAlchemy's storage format (so string comparison orders them and the ORM reads
them back), JSON as `json.dumps` text; on PostgreSQL aware datetimes for ``timestamptz`` and
JSON cast to ``jsonb``. tests/storage check that rows written here read back through the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    distinct: str
    """SQL for "differs, NULLs counting as values"."""

    def time(self, value: datetime | None) -> Any:
        """A timezone-aware datetime as this driver stores it (see the module docstring)."""
        if value is None:
            return None
        if self.name == "sqlite":
            # SQLAlchemy's SQLite DATETIME storage format, "YYYY-MM-DD HH:MM:SS.ffffff".
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        return value


SQLITE = Dialect("sqlite", "IS NOT")
POSTGRESQL = Dialect("postgresql", "IS DISTINCT FROM")


class TimeCache:
    """`Dialect.time` remembered per value: a batch repeats a few timestamps (its "now", each
    page's observation time) thousands of times."""

    __slots__ = ("_dialect", "_seen")

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._seen: dict[datetime, Any] = {}

    def __call__(self, value: datetime | None) -> Any:
        if value is None:
            return None
        converted = self._seen.get(value)
        if converted is None:
            converted = self._seen[value] = self._dialect.time(value)
        return converted


def dialect_of(connection: Connection) -> Dialect:
    name = connection.dialect.name
    if name == "sqlite":
        return SQLITE
    if name == "postgresql":
        return POSTGRESQL
    raise NotImplementedError(f"bulk writes are implemented for sqlite and postgresql, not {name}")


@dataclass(frozen=True, slots=True)
class Upsert:
    """One table's ``INSERT … ON CONFLICT (key) DO UPDATE … RETURNING`` in column order.

    SQLite gets a multi-row ``VALUES`` list, chunked under its bind-parameter limit.
    PostgreSQL gets one array per column and ``SELECT * FROM unnest(…)``: a short statement
    whatever the batch size, so psycopg neither re-parses a huge query text per batch nor
    sends thousands of parameters, and the server plans it once.
    """

    table: str
    columns: tuple[tuple[str, str], ...]
    """(column, PostgreSQL type) pairs, in the order rows give their values."""
    conflict: tuple[str, ...]
    update: tuple[tuple[str, str], ...]
    """(column, SQL expression) pairs; ``{t}`` is the table, ``{x}`` the proposed row,
    ``{ne}`` the dialect's "is distinct from"."""
    returning: tuple[str, ...] = ()
    conflict_where: str = ""
    """The predicate of a partial unique index that `conflict` names (so the database infers it)."""

    def row(self, **values: Any) -> tuple[Any, ...]:
        """One row in column order, given by column name: a positional tuple of 21 values
        is one transposition away from storing a price as a rating."""
        if len(values) != len(self.columns):
            names = [name for name, _ in self.columns]
            missing, extra = sorted(set(names) - set(values)), sorted(set(values) - set(names))
            raise TypeError(f"{self.table} row: missing {missing}, unknown {extra}")
        return tuple([values[name] for name, _ in self.columns])

    def chunk_rows(self, dialect: Dialect) -> int:
        if dialect.name == "postgresql":
            return _PG_CHUNK_ROWS
        return max(1, _SQLITE_MAX_PARAMS // len(self.columns))


#: Bind parameters per statement, under SQLite's 32,766.
_SQLITE_MAX_PARAMS = 32_000
#: Rows per PostgreSQL statement: bounds the arrays' memory, not a server limit.
_PG_CHUNK_ROWS = 10_000


@lru_cache(maxsize=256)
def _statement(upsert: Upsert, dialect: Dialect, rows: int) -> str:
    names = ", ".join(name for name, _ in upsert.columns)
    if dialect.name == "postgresql":
        arrays = ", ".join(f"%b::{pg_type}[]" for _, pg_type in upsert.columns)
        sql = f"INSERT INTO {upsert.table} ({names}) SELECT * FROM unnest({arrays})"
    else:
        row = f"({', '.join('?' for _ in upsert.columns)})"
        sql = f"INSERT INTO {upsert.table} ({names}) VALUES {', '.join([row] * rows)}"
    if upsert.conflict:
        assignments = ", ".join(
            f"{column} = {expression.format(t=upsert.table, x='excluded', ne=dialect.distinct)}"
            for column, expression in upsert.update
        )
        where = f" WHERE {upsert.conflict_where}" if upsert.conflict_where else ""
        sql += f" ON CONFLICT ({', '.join(upsert.conflict)}){where} DO UPDATE SET {assignments}"
    if upsert.returning:
        sql += f" RETURNING {', '.join(upsert.returning)}"
    return sql


def execute(
    connection: Connection, upsert: Upsert, rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """Write `rows` (each in `upsert.columns` order, already in driver form) in chunks, in
    the connection's current transaction; returns the RETURNING rows."""
    dialect = dialect_of(connection)
    size = upsert.chunk_rows(dialect)
    returned: list[tuple[Any, ...]] = []
    with driver_cursor(connection, what=f"INSERT INTO {upsert.table}") as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params: Sequence[Any]
            if dialect.name == "postgresql":
                params = [list(column) for column in zip(*chunk, strict=True)]
            else:
                params = list(chain.from_iterable(chunk))
            cursor.execute(_statement(upsert, dialect, len(chunk)), params)
            if upsert.returning:
                returned += cursor.fetchall()
    return returned


@contextmanager
def driver_cursor(connection: Connection, *, what: str) -> Iterator[Any]:
    """The driver's own cursor on the connection SQLAlchemy holds (same transaction):
    SQLAlchemy's result wrapping cost more per row than the database did. Driver errors come
    out as SQLAlchemy's (`IntegrityError`, `DataError`, …, naming `what`, without the
    thousands of parameters), and a lost connection is invalidated, as
    `Connection.execute` would do."""
    dbapi_connection = connection.connection
    error = connection.dialect.loaded_dbapi.Error
    cursor = dbapi_connection.cursor()
    try:
        yield cursor
    except error as exc:
        lost = connection.dialect.is_disconnect(exc, dbapi_connection, cursor)
        wrapped = DBAPIError.instance(
            what, None, exc, error, hide_parameters=True, connection_invalidated=lost,
            dialect=connection.dialect,
        )
        if lost:
            connection.invalidate(wrapped)
        raise wrapped from exc
    finally:
        with suppress(Exception):  # a cursor of a dead connection may not close cleanly
            cursor.close()


def json_text(value: Sequence[Any]) -> str:
    """A list as SQLAlchemy's JSON type writes it (`json.dumps`), byte for byte.

    Image URL lists are the common case; they skip `json.dumps`' encoder set-up, which cost
    more than the database insert of the whole listing row.
    """
    if all(type(part) is str for part in value):
        return "[" + ", ".join(map(_json_string, value)) + "]"
    return json.dumps(list(value))


_json_string = json.encoder.encode_basestring_ascii


def _keep(column: str) -> tuple[str, str]:
    """A fact a page may not show: keep the stored value when the new crawl lacks it."""
    return column, f"coalesce({{x}}.{column}, {{t}}.{column})"


def _take(column: str) -> tuple[str, str]:
    return column, f"{{x}}.{column}"


def _same_run(column: str) -> str:
    """A value observed by the crawl: taken as observed (a price gone is a change), except
    when the stored row was already written by this scan run, whose copies merge: the later
    copy's non-null value wins, a value it lacks stays (a run that meets a listing on a
    search page and on its shop's page keeps what either showed)."""
    return (f"CASE WHEN {{t}}.last_scan_run_id = {{x}}.last_scan_run_id "
            f"THEN coalesce({{x}}.{column}, {{t}}.{column}) ELSE {{x}}.{column} END")


def _earliest(column: str) -> tuple[str, str]:
    return column, f"CASE WHEN {{x}}.{column} < {{t}}.{column} THEN {{x}}.{column} ELSE {{t}}.{column} END"


def _latest(column: str) -> tuple[str, str]:
    return column, f"CASE WHEN {{x}}.{column} > {{t}}.{column} THEN {{x}}.{column} ELSE {{t}}.{column} END"


SELLERS = Upsert(
    table="sellers",
    columns=(
        ("platform", "text"), ("seller_key", "text"), ("name", "text"), ("url", "text"),
        ("is_official", "boolean"), ("location", "text"), ("business_id", "text"),
        ("phone", "text"), ("address", "text"), ("created_at_platform", "timestamptz"),
        ("first_seen_at", "timestamptz"), ("last_seen_at", "timestamptz"),
    ),
    conflict=("platform", "seller_key"),
    update=(
        *(_keep(c) for c in ("name", "url", "is_official", "location", "business_id", "phone",
                             "address", "created_at_platform")),
        _earliest("first_seen_at"),
        _latest("last_seen_at"),
    ),
    returning=("id", "platform", "seller_key"),
)

#: Listing columns behind an index, left out of the upsert's SET clause: naming a column
#: there makes SQLite rewrite its index entries on every re-crawl, changed or not. The upsert
#: returns their stored values and `refresh_listing_facts` updates the few that a crawl
#: brought new (same "keep what the page did not show" rule as the other facts).
LISTING_INDEXED_FACTS = ("seller_id", "brand", "category", "gtin")

LISTINGS = Upsert(
    table="listings",
    columns=(
        ("platform", "text"), ("listing_key", "text"), ("seller_id", "bigint"), ("url", "text"),
        ("title", "text"), ("description", "text"), ("brand", "text"), ("category", "text"),
        ("price", "bigint"), ("list_price", "bigint"), ("currency", "text"), ("gtin", "text"),
        ("origin", "text"), ("images", "jsonb"), ("sold", "bigint"), ("rating", "float8"),
        ("created_at", "timestamptz"), ("first_seen_at", "timestamptz"),
        ("last_seen_at", "timestamptz"), ("last_changed_at", "timestamptz"),
        ("last_scan_run_id", "bigint"),
    ),
    conflict=("platform", "listing_key"),
    update=(
        *(_keep(c) for c in ("url", "description", "origin", "sold", "rating",
                             "last_scan_run_id")),
        *((c, _same_run(c)) for c in ("title", "price", "list_price")),
        *(_take(c) for c in ("currency", "images")),
        _earliest("first_seen_at"),
        _latest("last_seen_at"),
        # The proposed row's created_at is this call's "now": a listing whose price or title
        # moved is stamped changed now; its stored created_at stays.
        ("last_changed_at",
         f"CASE WHEN {{t}}.price {{ne}} {_same_run('price')} OR {{t}}.title {{ne}} {_same_run('title')} "
         "THEN {x}.created_at ELSE {t}.last_changed_at END"),
    ),
    returning=("id", "platform", "listing_key", "created_at", "last_changed_at",
               *LISTING_INDEXED_FACTS),
)


def refresh_listing_facts(connection: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Set `LISTING_INDEXED_FACTS` (rows of their new values, None for "not shown", then the
    listing id) on listings the upsert found already stored."""
    if not rows:
        return
    mark = "%s" if dialect_of(connection).name == "postgresql" else "?"
    assignments = ", ".join(f"{c} = coalesce({mark}, {c})" for c in LISTING_INDEXED_FACTS)
    with driver_cursor(connection, what="UPDATE listings") as cursor:
        cursor.executemany(f"UPDATE listings SET {assignments} WHERE id = {mark}", rows)

#: One observation per listing per scan run (the partial unique index of migration 0011): a
#: run that meets a listing again, in a later batch or another process, merges into the
#: observation it made: the later copy's non-null values win, observed_at is the latest.
#: Rows without a run are outside the index and always inserted. A batch holds each listing
#: once (`upsert_listings` merges copies first): one statement may not update a row twice.
OBSERVATIONS = Upsert(
    table="listing_observations",
    columns=(
        ("listing_id", "bigint"), ("scan_run_id", "bigint"), ("observed_at", "timestamptz"),
        ("price", "bigint"), ("list_price", "bigint"), ("sold", "bigint"), ("rating", "float8"),
        ("title", "text"),
    ),
    conflict=("listing_id", "scan_run_id"),
    conflict_where="scan_run_id IS NOT NULL",
    update=(
        *(_keep(c) for c in ("price", "list_price", "sold", "rating", "title")),
        _latest("observed_at"),
    ),
)

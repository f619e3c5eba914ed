"""Engines, sessions and migrations.

SQLite (the default, one file under `var/`) and PostgreSQL (production, scale-out) are both
first-class. Repository functions never commit: the caller owns the transaction, usually
`with session_factory(url).begin() as session: ...`.
"""

from __future__ import annotations

import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

ENV_DB_URL = "LISTINGWATCH_DB_URL"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: How long a SQLite writer waits for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Execution option choosing SQLite's BEGIN mode. A transaction that reads and then writes
#: should start with ``session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})``
#: so it takes the write lock up front (waiting on the busy timeout) instead of failing with
#: "database is locked" when another writer committed after its first read.
SQLITE_BEGIN_OPTION = "sqlite_begin"


class MigrationError(RuntimeError):
    """The schema could not be brought to head (e.g. foreign keys broken by a migration)."""


def database_url() -> str:
    """`$LISTINGWATCH_DB_URL`, else the SQLite file `var/listingwatch.db` under the cwd."""
    url = os.environ.get(ENV_DB_URL, "").strip()
    if url:
        return url
    var = Path.cwd() / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'listingwatch.db'}"


def normalize_url(url: str) -> str:
    """Pin the PostgreSQL driver to psycopg 3 (`postgres://`, `postgresql://` are accepted)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with our connection settings.

    SQLite: WAL journal, foreign keys on, a busy timeout so concurrent writers wait instead
    of failing, and real `BEGIN`/`SAVEPOINT` handling (pysqlite's own transaction handling
    breaks savepoints, which the review queue relies on).
    """
    return _make_engine(url, sqlite_foreign_keys=True, **kwargs)


def _make_engine(url: str, *, sqlite_foreign_keys: bool, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)

    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Hand transaction control to SQLAlchemy (see the "begin" hook below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if sqlite_foreign_keys else 'OFF'}")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = str(connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "")).upper()
        if mode not in ("", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
            raise ValueError(
                f"{SQLITE_BEGIN_OPTION}={mode!r}; expected DEFERRED, IMMEDIATE or EXCLUSIVE"
            )
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


@lru_cache(maxsize=16)
def _cached_engine(url: str) -> Engine:
    return make_engine(url)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """A sessionmaker bound to one engine per URL (engines are cached per process)."""
    return sessionmaker(bind=_cached_engine(url or database_url()), expire_on_commit=False)


def alembic_config(url: str | None = None) -> Config:
    """Alembic configuration built in code, independent of the cwd.

    For a new revision: ``alembic.command.revision(alembic_config(url), "msg", autogenerate=True)``.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    cfg.attributes["listingwatch_url"] = normalize_url(url or database_url())
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema to `revision` (default head). Safe to run on an up-to-date database."""
    url = normalize_url(url or database_url())
    # SQLite batch migrations copy tables; foreign keys must be off while they do.
    engine = _make_engine(url, sqlite_foreign_keys=False, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(f"foreign keys broken after migration: {broken[:5]}")
    finally:
        engine.dispose()


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at, or None for an empty database."""
    engine = make_engine(url or database_url(), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def ping(url: str | None = None) -> None:
    """Raise if the database cannot be reached."""
    engine = make_engine(url or database_url(), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()

"""Alembic environment: configured in code by `storage.db.alembic_config` / `storage.db.upgrade`.

Uses the connection handed over in `config.attributes["connection"]` when there is one
(programmatic upgrades, tests), otherwise connects to `config.attributes["listingwatch_url"]`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from storage.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata

# Serialises concurrent `upgrade()` calls on PostgreSQL (two workers starting at once).
_PG_MIGRATION_LOCK = 0x6C77_6D69  # "lwmi"


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Migrations must not import our models: spell the TypeDecorator out as its impl.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


#: Tables other code owns in our database: APScheduler's job store (scheduler.py creates it).
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


def _include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # Autogenerate must not propose dropping a table it does not own.
    return not (type_ == "table" and name in FOREIGN_TABLES)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
        transaction_per_migration=False,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.attributes.get("listingwatch_url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.db import _make_engine

    engine = _make_engine(config.attributes["listingwatch_url"], sqlite_foreign_keys=False)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Helpers for tests that need a database: a throwaway PostgreSQL schema per test.

Tests run against SQLite always and against PostgreSQL when it is reachable
(`$LISTINGWATCH_TEST_PG_URL`, default the local server's `test` database). Each test gets
its own schema (`CREATE SCHEMA lw_test_<random>` + `search_path`), so parallel runs and
parallel workers never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url

from storage.db import normalize_url

PG_TEST_URL_ENV = "LISTINGWATCH_TEST_PG_URL"
DEFAULT_PG_TEST_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA_PREFIX = "lw_test_"


def pg_test_url() -> str:
    return normalize_url(os.environ.get(PG_TEST_URL_ENV) or DEFAULT_PG_TEST_URL)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pg_unreachable_reason(url: str | None = None, *, timeout_s: int = 3) -> str | None:
    """None when PostgreSQL answers at `url`, else a one-line reason it does not."""
    import psycopg

    url = url or pg_test_url()
    try:
        with psycopg.connect(_libpq_url(url), connect_timeout=timeout_s) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means "not usable here"; the reason says which
        safe = make_url(url).render_as_string(hide_password=True)
        detail = " ".join(str(exc).split())[:200]
        return f"PostgreSQL not reachable at {safe} ({type(exc).__name__}: {detail})"
    return None


@contextmanager
def pg_schema(url: str | None = None, *, prefix: str = SCHEMA_PREFIX) -> Iterator[str]:
    """Create a fresh schema, yield a URL whose `search_path` points at it, drop it after."""
    import psycopg
    from psycopg import sql

    url = url or pg_test_url()
    schema = prefix + secrets.token_hex(6)
    with psycopg.connect(_libpq_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq_url(url), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _libpq_url(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)

"""storage.bulk: the driver-level write path writes what SQLAlchemy would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from storage import bulk


@given(st.lists(st.text()))
def test_json_text_is_json_dumps_for_string_lists(images: list[str]) -> None:
    assert bulk.json_text(images) == json.dumps(images)


def test_json_text_of_awkward_urls_and_other_values() -> None:
    tricky = ['https://img.example/a"b\\c.jpg', "ảnh\n\t\u0000.png", "😀", ""]
    assert bulk.json_text(tricky) == json.dumps(tricky)
    assert bulk.json_text(()) == "[]"
    assert bulk.json_text([1, None, "x"]) == json.dumps([1, None, "x"])


def test_sqlite_time_is_sqlalchemys_naive_utc_text() -> None:
    hanoi = timezone(timedelta(hours=7))
    at = datetime(2026, 11, 28, 9, 0, 0, 5, tzinfo=hanoi)
    assert bulk.SQLITE.time(at) == "2026-11-28 02:00:00.000005"
    assert bulk.POSTGRESQL.time(at) == at
    cache = bulk.TimeCache(bulk.SQLITE)
    assert cache(at) == cache(at.astimezone(UTC)) == "2026-11-28 02:00:00.000005"
    assert cache(None) is None


def test_statements_name_every_column_once_and_fit_the_bind_limit() -> None:
    for upsert in (bulk.SELLERS, bulk.LISTINGS, bulk.OBSERVATIONS):
        names = [name for name, _ in upsert.columns]
        assert len(names) == len(set(names))
        assert {column for column, _ in upsert.update} <= set(names)
        rows = upsert.chunk_rows(bulk.SQLITE)
        assert rows * len(names) <= 32_766
        sql = bulk._statement(upsert, bulk.SQLITE, rows)
        assert sql.count("?") == rows * len(names)
    assert not set(bulk.LISTING_INDEXED_FACTS) & {column for column, _ in bulk.LISTINGS.update}

"""Vietnam's time zone, declared once: people read Asia/Ho_Chi_Minh, storage keeps UTC.

Every layer that shows or takes a time in Vietnam's local time (spiders' `observed_at`,
evidence capture times, the web app's dates, the statistics weeks) uses `VIETNAM_TZ`.
Vietnam keeps UTC+7 all year (no daylight saving), so a date typed by an officer is local.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final
from zoneinfo import ZoneInfo

VIETNAM_TZ_NAME: Final = "Asia/Ho_Chi_Minh"
VIETNAM_TZ: Final = ZoneInfo(VIETNAM_TZ_NAME)


def as_utc(moment: datetime) -> datetime:
    """A stored time, timezone-aware: SQLite hands datetimes back naive, and storage is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local_time(moment: datetime) -> datetime:
    """`moment` in Asia/Ho_Chi_Minh (refuses naive datetimes: their zone would be a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}; give a timezone-aware datetime")
    return moment.astimezone(VIETNAM_TZ)


#: How a local time is labelled wherever people read it (CLI, web, reports).
LOCAL_LABEL: Final = "+07"


def format_local(moment: datetime) -> str:
    """A stored (UTC) time as people read it: Vietnam time, minutes, labelled ("2026-11-28 09:00 +07")."""
    return f"{local_time(moment):%Y-%m-%d %H:%M} {LOCAL_LABEL}"

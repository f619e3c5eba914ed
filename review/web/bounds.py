"""What the database can hold, checked at the edge (issue 14 item 10).

`/cases/99999999999999999999999` overflowed the database driver and `date_from=0001-01-01`
overflowed the time-zone arithmetic; both answered 500 and dropped the connection. Path
ids beyond a 64-bit integer are simply not found (404); dates outside `FIRST_DAY` ..
`LAST_DAY` are a bad request (400) naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

from fastapi import Path

#: The largest id any of our integer primary keys can hold (BIGINT; SQLite's INTEGER).
MAX_DB_ID: Final = 2**63 - 1
#: Cases and scans start long after this; before it, local-midnight arithmetic is safe.
FIRST_DAY: Final = date(2000, 1, 1)
LAST_DAY: Final = date(2099, 12, 31)

#: A path parameter that names a row: out of range means no such row.
DbId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


def day_problem(value: date) -> str | None:
    """Why a filter date cannot be used, or None."""
    if not FIRST_DAY <= value <= LAST_DAY:
        return f"{value.isoformat()} is outside {FIRST_DAY.isoformat()} .. {LAST_DAY.isoformat()}"
    return None

"""Heartbeats of long-running services (the scheduler daemon).

The daemon beats every minute; readers (`/readyz`, the on-demand form) call a service
alive when its last beat is younger than their own staleness limit. One row per service
name: the newest daemon's beat wins, which is what "is anyone picking work up?" asks.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from storage.models import ServiceHeartbeat

SCHEDULER = "scheduler"
#: How often the daemon beats; readers allow several missed beats (`/readyz`: 300 s).
BEAT_EVERY_S = 60.0


@dataclass(frozen=True, slots=True)
class Beat:
    name: str
    host: str
    pid: int
    beat_at: datetime

    def age_s(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.beat_at).total_seconds()


def beat(session: Session, name: str, now: datetime | None = None) -> None:
    """Record that service `name` (this process) is alive now; the caller commits."""
    row = session.get(ServiceHeartbeat, name)
    when = now or datetime.now(UTC)
    if row is None:
        session.add(ServiceHeartbeat(name=name, host=socket.gethostname(), pid=os.getpid(), beat_at=when))
    else:
        row.host, row.pid, row.beat_at = socket.gethostname(), os.getpid(), when


def last_beat(session: Session, name: str) -> Beat | None:
    row = session.get(ServiceHeartbeat, name)
    if row is None:
        return None
    return Beat(row.name, row.host, row.pid, row.beat_at)

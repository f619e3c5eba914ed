"""Signs of life of long-running services (issue 17)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.core import Base, utcnow


class ServiceHeartbeat(Base):
    """The last sign of life of a long-running service (the scheduler daemon), so `/readyz`
    and the on-demand form can tell "nobody is picking work up" from "work is queued"."""

    __tablename__ = "service_heartbeats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)

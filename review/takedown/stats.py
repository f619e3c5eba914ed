"""What the steering committee reports about takedowns (issue 16 part 5): requests sent, listings
removed within 24 h, removed late, still online, and re-appearances, by platform and month.

The unit is the listing named in a sent request (the provincial reports count listings and shops
removed); ``requests_sent`` counts requests. Months are Vietnam time: ``sent_at``'s month for a
request and its listings, the event's month for a re-appearance.

We only know what the checks saw, so the verdicts are stated by what they prove:

- ``removed_within_24h``: the latest conclusive check says removed and **no check at or after the
  deadline ever saw the listing online** (a removal found by the first check after the deadline
  counts as on time: nothing shows it was still there);
- ``removed_late``: removed, but some check at or after the deadline saw it still online;
- ``still_online``: the latest conclusive check saw it online;
- ``not_checked``: no conclusive check yet (pending, or only unreachable: a blocked check proves
  nothing, so it is neither removed nor online).

"Conclusive" skips unreachable checks: a listing found removed and later blocked stays removed.
The history comes from the ``takedown`` case events (each check stores every listing's verdict),
not from the listing rows, which keep only the latest check.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from detectors.vntime import VIETNAM_TZ, as_utc
from storage.models import CaseEvent, ReviewCase, Seller, TakedownRequest

#: The case-event kind a re-appearance writes (review.takedown.reappear).
REAPPEARED_KIND: Final = "reappeared"


@dataclass
class TakedownStatRow:
    """One platform in one month. Keys are the `takedown stats --json` contract."""

    platform: str
    month: str
    requests_sent: int = 0
    listings: int = 0
    removed_within_24h: int = 0
    removed_late: int = 0
    still_online: int = 0
    not_checked: int = 0
    reappearances: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


COUNT_FIELDS: Final = tuple(f.name for f in fields(TakedownStatRow) if f.name not in ("platform", "month"))


def month_of(moment: datetime) -> str:
    return as_utc(moment).astimezone(VIETNAM_TZ).strftime("%Y-%m")


def listing_verdict(history: list[tuple[datetime, str]], deadline: datetime | None) -> str:
    """One listing's stat from its checks ``(at, status)`` in time order (see the module doc)."""
    conclusive = [(at, s) for at, s in history if s in ("removed", "still_online")]
    if not conclusive:
        return "not_checked"
    if conclusive[-1][1] == "still_online":
        return "still_online"
    seen_late = deadline is not None and any(
        s == "still_online" and as_utc(at) >= as_utc(deadline) for at, s in conclusive)
    return "removed_late" if seen_late else "removed_within_24h"


def takedown_stats(session: Session) -> list[TakedownStatRow]:
    """Rows by (month, platform), newest month first; only months with something to report."""
    rows: dict[tuple[str, str], TakedownStatRow] = {}

    def row(platform: str, month: str) -> TakedownStatRow:
        return rows.setdefault((month, platform), TakedownStatRow(platform=platform, month=month))

    requests = list(session.scalars(select(TakedownRequest).where(TakedownRequest.sent_at.is_not(None))
                                    .options(selectinload(TakedownRequest.listings))))
    checks: dict[int, dict[str, list[tuple[datetime, str]]]] = defaultdict(lambda: defaultdict(list))
    if requests:
        events = session.scalars(select(CaseEvent).where(
            CaseEvent.kind == "takedown", CaseEvent.case_id.in_({r.case_id for r in requests}))
            .order_by(CaseEvent.at, CaseEvent.id))
        for event in events:
            data = event.data or {}
            if data.get("action") != "checked" or not isinstance(data.get("takedown_request_id"), int):
                continue
            for item in data.get("listings") or []:
                checks[data["takedown_request_id"]][str(item.get("listing_key"))].append((event.at, str(item.get("status"))))
    for request in requests:
        assert request.sent_at is not None
        target = row(request.platform, month_of(request.sent_at))
        target.requests_sent += 1
        for listing in request.listings:
            history = checks[request.id].get(listing.listing_key)
            if history is None and listing.checked_at is not None:  # a check without its event (older data)
                history = [(listing.checked_at, listing.status)]
            verdict = listing_verdict(history or [], request.deadline)
            target.listings += 1
            setattr(target, verdict, getattr(target, verdict) + 1)

    reappeared = session.execute(
        select(CaseEvent.at, CaseEvent.data, Seller.platform).join(ReviewCase, CaseEvent.case_id == ReviewCase.id)
        .join(Seller, ReviewCase.seller_id == Seller.id).where(CaseEvent.kind == REAPPEARED_KIND)).all()
    for at, data, seller_platform in reappeared:
        platform = (data or {}).get("platform") or seller_platform  # where it came back, if the event says
        row(str(platform), month_of(at)).reappearances += 1
    by_platform = sorted(rows.values(), key=lambda r: r.platform)
    return sorted(by_platform, key=lambda r: r.month, reverse=True)  # stable: platforms stay A-Z


def totals(rows: list[TakedownStatRow]) -> dict[str, int]:
    return {name: sum(getattr(r, name) for r in rows) for name in COUNT_FIELDS}

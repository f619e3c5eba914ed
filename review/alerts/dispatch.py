"""Store, deduplicate, send and retry alerts (issue 17 item 1).

`dispatch` stores an `Alert` and one `AlertDelivery` per configured channel, then tries each
channel once, apart (`channels.send`): a failing one gets `retrying` with `next_retry_at` after
the backoff of `rules/alerts.yaml`, the others are unaffected. The same `dedupe_key` inside
`window_minutes` of an alert that was not itself suppressed is stored as `suppressed` and sends
nothing. `retry_due` (scheduler job `alerts:retry`) sends what is due again and gives up after
`max_attempts` (`failed`). Sending happens outside database transactions, so a slow SMTP
server never holds a SQLite write lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from review.alerts.channels import Channel, configured, send
from review.alerts.events import AlertMessage
from rules.alerts import AlertsFile
from storage.db import session_factory
from storage.models import Alert, AlertDelivery

log = logging.getLogger("listingwatch.alerts")

Sender = Callable[[Channel, str, str], tuple[bool, str | None]]
#: A delivery being sent is not due for the retry job until this long after it was taken: the
#: daemon's retry job runs on another thread (or another daemon) while `dispatch` still works
#: through slow channels, and must not send the same message again. Longer than any send takes
#: (Apprise's own timeouts are seconds); a process that died mid-send is retried after it.
SEND_LEASE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    channel: str  # redacted label
    status: str
    attempts: int
    error: str | None


@dataclass(frozen=True, slots=True)
class DispatchResult:
    alert_id: int
    status: str  # dispatched | suppressed | no_channel
    deliveries: list[DeliveryResult]


def dispatch(db_url: str, message: AlertMessage, rules: AlertsFile, *, channels: Sequence[Channel] | None = None,
             now: datetime | None = None, sender: Sender = send) -> DispatchResult:
    """Store `message` and tell every channel, unless the same event was told inside the window."""
    now = now or datetime.now(UTC)
    channels = configured() if channels is None else list(channels)
    sessions = session_factory(db_url)
    with sessions() as session, session.begin():
        since = now - timedelta(minutes=rules.window_minutes)
        earlier = session.scalar(
            select(Alert.id).where(Alert.dedupe_key == message.dedupe_key, Alert.created_at >= since,
                                   Alert.status != "suppressed").limit(1))
        status = "suppressed" if earlier is not None and rules.window_minutes > 0 else (
            "dispatched" if channels else "no_channel")
        alert = Alert(kind=message.kind, dedupe_key=message.dedupe_key, status=status, title=message.title,
                      body=message.body, created_at=now, scan_run_id=message.scan_run_id, case_id=message.case_id,
                      takedown_request_id=message.takedown_request_id)
        session.add(alert)
        if status == "dispatched":
            alert.deliveries = [AlertDelivery(channel=c.label, scheme=c.scheme, channel_key=c.key, status="retrying",
                                              attempts=0, next_retry_at=now + SEND_LEASE) for c in channels]
        session.flush()
        alert_id = alert.id
        pending = [(d.id, c) for d, c in zip(alert.deliveries, channels, strict=True)] if status == "dispatched" else []
    if status == "suppressed":
        log.info("alert %s suppressed: %s already told within %d min (alert #%s)", alert_id, message.dedupe_key,
                 rules.window_minutes, earlier)
        return DispatchResult(alert_id, status, [])
    if status == "no_channel":
        log.warning("alert %s (%s) stored, but no channel is configured", alert_id, message.kind)
    results = [_attempt(db_url, delivery_id, channel, rules, sender, now) for delivery_id, channel in pending]
    return DispatchResult(alert_id, status, results)


def _attempt(db_url: str, delivery_id: int, channel: Channel | None, rules: AlertsFile, sender: Sender,
             now: datetime | None = None) -> DeliveryResult:
    """One try of one delivery; its row records the result and, when it failed, the next try."""
    sessions = session_factory(db_url)
    with sessions() as session:
        row = session.get(AlertDelivery, delivery_id)
        assert row is not None
        title, body = row.alert.title, row.alert.body
    error: str | None
    if channel is None:
        ok, error = False, "channel no longer in $LISTINGWATCH_ALERT_URLS"
    else:
        try:
            ok, error = sender(channel, title, body)
        except Exception as exc:  # never let one channel's bug stop the others
            ok, error = False, f"{type(exc).__name__}"
    at = now or datetime.now(UTC)
    with sessions() as session, session.begin():
        row = session.get(AlertDelivery, delivery_id)
        assert row is not None
        row.attempts += 1
        row.last_attempt_at = at
        row.error = error
        if ok:
            row.status, row.sent_at, row.next_retry_at = "sent", at, None
        elif channel is None or row.attempts >= rules.retry.max_attempts:
            row.status, row.next_retry_at = "failed", None
        else:
            row.status = "retrying"
            row.next_retry_at = at + timedelta(seconds=rules.retry.delay(row.attempts))
        result = DeliveryResult(row.channel, row.status, row.attempts, row.error)
    level = logging.INFO if ok else logging.WARNING
    log.log(level, "alert delivery %s via %s: %s (attempt %d)%s", delivery_id, result.channel, result.status,
            result.attempts, f": {error}" if error else "")
    return result


def retry_due(db_url: str, rules: AlertsFile, *, channels: Sequence[Channel] | None = None,
              now: datetime | None = None, sender: Sender = send) -> list[DeliveryResult]:
    """Send every delivery whose `next_retry_at` has come again (the scheduler's `alerts:retry`)."""
    now = now or datetime.now(UTC)
    by_key = {c.key: c for c in (configured() if channels is None else channels)}
    sessions = session_factory(db_url)
    with sessions() as session:
        due = session.execute(
            select(AlertDelivery.id, AlertDelivery.channel_key)
            .where(AlertDelivery.status == "retrying", AlertDelivery.next_retry_at <= now)
            .order_by(AlertDelivery.next_retry_at)).all()
    results: list[DeliveryResult] = []
    for delivery_id, key in due:
        # Take the row first (one conditional UPDATE): whoever else saw it due gets 0 rows.
        with sessions() as session, session.begin():
            result = session.execute(
                update(AlertDelivery)
                .where(AlertDelivery.id == delivery_id, AlertDelivery.status == "retrying",
                       AlertDelivery.next_retry_at <= now)
                .values(next_retry_at=now + SEND_LEASE))
        if int(getattr(result, "rowcount", 0) or 0) == 1:
            results.append(_attempt(db_url, delivery_id, by_key.get(key), rules, sender, now))
    return results

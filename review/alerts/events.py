"""Events -> alert messages: pure functions, no database, no network (issue 17 item 1).

Each function takes what happened (a finished scan run, a seller newly in the queue, a takedown
escalated after its deadline, a day's figures) and the rules of `rules/alerts.yaml`, and
returns an `AlertMessage` — or None when the rules say nobody needs to hear of it. Scan runs
are judged by `review.monitors` (`run_facts` + `evaluate`): the block-rate and listing-count
levels live in monitors.yaml and are not repeated here.

Messages are in Vietnamese, the officers' language, worded from the labels table
(`review/web/labels.yaml`, keys ``alert.*``) like every other text we show; the figures,
monitor names and codes stay as they are, so an operator can grep for them.

Every message carries a `dedupe_key` that names the event, not its figures: a nightly job
blocked again tomorrow with a different page count is the same event, suppressed inside the
window. Crawled text (seller names) is hostile: it is flattened to one plain line and cut.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from detectors.vntime import format_local
from review.monitors import SEVERITY, MonitorResult, evaluate, problems, run_facts
from review.web.i18n import translate
from rules.alerts import AlertsFile, SellerThreshold
from rules.monitors import MonitorsFile

#: Control and format characters (newlines, bidi overrides, zero-width) of crawled text.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")
NAME_CHARS: Final = 120


@dataclass(frozen=True, slots=True)
class AlertMessage:
    kind: str
    dedupe_key: str
    title: str
    body: str
    scan_run_id: int | None = None
    case_id: int | None = None
    takedown_request_id: int | None = None


def plain(text: object, limit: int = NAME_CHARS) -> str:
    """Crawled or typed text as one plain line of at most `limit` characters."""
    line = " ".join(_UNSAFE.sub(" ", str(text)).split())
    return line if len(line) <= limit else line[: max(1, limit - 1)].rstrip() + "…"


def _vi(label: str, /, **values: object) -> str:
    return translate("vi", label, **values)


def _body(lines: Sequence[str], rules: AlertsFile) -> str:
    body = "\n".join(lines)
    return body if len(body) <= rules.max_body_chars else body[: rules.max_body_chars - 1] + "…"


# --------------------------------------------------------------------------- scan runs


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A finished scan run as stored (`ScanRun`)."""

    id: int
    kind: str
    status: str
    reason: str | None
    platform: str | None
    params: Mapping[str, Any] | None
    counts: Mapping[str, Any] | None
    extraction_errors: int = 0


def scan_run_alert(run: RunInfo, monitors: MonitorsFile, rules: AlertsFile) -> AlertMessage | None:
    """A run `partial`/`failed`, or with a health monitor at `monitor_level` or worse."""
    config = rules.scan_run
    if not config.enabled or run.kind not in config.kinds or run.status == "running":
        return None
    facts = run_facts(run.kind, run.status, run.platform, run.params, run.counts, run.extraction_errors)
    floor = SEVERITY[config.monitor_level]
    tripped: list[MonitorResult] = [r for r in problems(evaluate(facts, monitors)) if SEVERITY[r.status] >= floor]
    if run.status not in config.statuses and not tripped:
        return None
    params = run.params or {}
    job = str(params.get("job") or params.get("job_id") or f"{run.kind}:{run.platform or '-'}")
    names = sorted({f"{r.name}@{r.platform}" if r.platform else r.name for r in tripped})
    key = f"scan_run:{job}:{run.status}:{','.join(names)}"
    where = f" ({run.platform})" if run.platform else ""
    status = f"{_vi('runstatus.' + run.status)} ({run.status})"
    lines = [_vi("alert.scan_run.head", id=run.id, kind=_vi("runkind." + run.kind), where=where, status=status)]
    if run.reason:
        lines.append(_vi("alert.reason", reason=plain(run.reason, 600)))
    lines += [f"- {r.reason}" for r in tripped]
    if facts.listings is not None:
        lines.append(_vi("alert.scan_run.figures", listings=facts.listings, pages=facts.pages, blocked=facts.blocked))
    lines.append(_vi("alert.scan_run.warning"))
    title = _vi("alert.scan_run.title", id=run.id, where=where, status=status)
    return AlertMessage("scan_run", key[:200], plain(title, 250), _body(lines, rules), scan_run_id=run.id)


# --------------------------------------------------------------------------- flagged sellers


@dataclass(frozen=True, slots=True)
class SellerInfo:
    """A seller a scan just put in the queue (its case opened or re-opened)."""

    seller_id: int
    case_id: int | None
    platform: str
    seller_key: str
    name: str | None
    url: str | None
    risk: float
    priority: float
    category: str | None
    flagged_listings: int = 0
    scan_run_id: int | None = None


def seller_threshold(category: str | None, health: bool, rules: AlertsFile) -> SellerThreshold:
    config = rules.flagged_seller
    if category is not None and category in config.categories:
        return config.categories[category]
    if health and config.health is not None:
        return config.health
    return config.default


def flagged_seller_alert(seller: SellerInfo, health_categories: frozenset[str], rules: AlertsFile) -> AlertMessage | None:
    """A newly queued seller whose risk or priority reaches its category's level."""
    if not rules.flagged_seller.enabled:
        return None
    health = seller.category in health_categories
    level = seller_threshold(seller.category, health, rules)
    over_risk = level.min_risk is not None and seller.risk >= level.min_risk
    over_priority = level.min_priority is not None and seller.priority >= level.min_priority
    if not (over_risk or over_priority):
        return None
    name = plain(seller.name or seller.seller_key)
    category = seller.category or "?"
    lines = [
        _vi("alert.seller.head", name=name),
        _vi("alert.seller.where", platform=plain(seller.platform, 40), seller_key=plain(seller.seller_key, 80)),
        _vi("alert.seller.figures", risk=f"{seller.risk:.2f}", priority=f"{seller.priority:.2f}", category=category)
        + (" " + _vi("alert.seller.health") if health else ""),
    ]
    if seller.flagged_listings:
        lines.append(_vi("alert.seller.flagged", n=seller.flagged_listings))
    if seller.url:
        lines.append(_vi("alert.seller.shop", url=plain(seller.url, 300)))
    if seller.case_id is not None:
        lines.append(_vi("alert.case", id=seller.case_id))
    title = _vi("alert.seller.title_health" if health else "alert.seller.title",
                name=plain(seller.name or seller.seller_key, 60))
    return AlertMessage("flagged_seller", f"flagged_seller:{seller.platform}:{seller.seller_key}"[:200],
                        plain(title, 250), _body(lines, rules), scan_run_id=seller.scan_run_id,
                        case_id=seller.case_id)


# --------------------------------------------------------------------------- takedowns


@dataclass(frozen=True, slots=True)
class TakedownInfo:
    request_id: int
    case_id: int
    platform: str
    status: str
    deadline: datetime | None
    still_online: list[str] = field(default_factory=list)


def takedown_alert(info: TakedownInfo, rules: AlertsFile) -> AlertMessage | None:
    """A takedown request escalated: the deadline passed and listings are still online."""
    if not rules.takedown_deadline.enabled or info.status != "escalated":
        return None
    deadline = format_local(info.deadline) if info.deadline is not None else "?"
    lines = [_vi("alert.takedown.head", id=info.request_id, case=info.case_id, platform=plain(info.platform, 40),
                 deadline=deadline, n=len(info.still_online))]
    lines += [f"- {plain(url, 300)}" for url in info.still_online[:10]]
    if len(info.still_online) > 10:
        lines.append(_vi("alert.more", n=len(info.still_online) - 10))
    return AlertMessage("takedown_deadline", f"takedown_deadline:{info.request_id}",
                        _vi("alert.takedown.title", id=info.request_id), _body(lines, rules),
                        case_id=info.case_id, takedown_request_id=info.request_id)


# --------------------------------------------------------------------------- daily digest


@dataclass(frozen=True, slots=True)
class DigestFacts:
    day: str  # the local date the digest covers, "2026-12-04"
    runs: dict[str, int]  # status -> count over the last 24 hours
    partial_runs: list[str]  # "#12 nightly demo-tiki: reason"
    cases_opened: int
    open_cases: int
    takedowns_escalated: int
    alerts: dict[str, int]  # delivery status -> count


def digest_alert(facts: DigestFacts, rules: AlertsFile) -> AlertMessage | None:
    if not rules.digest.enabled:
        return None
    none = _vi("alert.none")
    runs = ", ".join(f"{n} {_vi('runstatus.' + status)} ({status})" for status, n in sorted(facts.runs.items())) or none
    deliveries = ", ".join(f"{n} {_vi('alert.delivery.' + s)}" for s, n in sorted(facts.alerts.items())) or none
    lines = [
        _vi("alert.digest.head", day=facts.day),
        _vi("alert.digest.runs", runs=runs),
        *(f"- {plain(line, 300)}" for line in facts.partial_runs[:10]),
        _vi("alert.digest.cases", opened=facts.cases_opened, open=facts.open_cases),
        _vi("alert.digest.takedowns", n=facts.takedowns_escalated),
        _vi("alert.digest.deliveries", deliveries=deliveries),
    ]
    return AlertMessage("digest", f"digest:{facts.day}", _vi("alert.digest.title", day=facts.day), _body(lines, rules))

"""Health and metrics for whoever runs the service (issue 17 item 5).

- `/healthz`: the process answers (no login, no database): for a process supervisor.
- `/readyz`: the database answers, its schema is at the migrations' head, and the scheduler
  daemon beat recently: for a load balancer or an operator's check. Each check is named
  with its reason, so a failing probe says what to fix.
- `/metrics`: Prometheus text format. Counts come from the database at scrape time (every
  web worker reports the same figures); request latency is this process's own. Case and
  scan counts are not public: a bearer token (`$LISTINGWATCH_METRICS_TOKEN`) is required
  when one is set, else only loopback clients are answered.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from review.web.helpers import WebState, log, state_of
from storage.db import alembic_config
from storage.heartbeats import SCHEDULER, last_beat
from storage.models import Alert, AlertDelivery, Listing, ReviewCase, ScanRequest, ScanRun

ENV_METRICS_TOKEN: Final = "LISTINGWATCH_METRICS_TOKEN"  # noqa: S105 (a variable name, not a secret)
METRICS_CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
_LOOPBACK: Final = frozenset({"127.0.0.1", "::1", "localhost"})

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok\n")


@router.get("/readyz", include_in_schema=False)
def readyz(request: Request) -> JSONResponse:
    state = state_of(request)
    checks = _readiness(state)
    ready = all(check["ok"] for check in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


def _readiness(state: WebState) -> dict[str, dict[str, Any]]:
    checks: dict[str, dict[str, Any]] = {}
    try:
        with state.db() as session:
            session.execute(text("SELECT 1"))
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            heartbeat = last_beat(session, SCHEDULER)
    except SQLAlchemyError as exc:
        # The probe needs no login: the driver's message (host, port, database name) goes to the
        # log, the answer names only the kind of failure.
        log.warning("readyz: database check failed: %s", str(exc).splitlines()[0])
        checks["database"] = {"ok": False, "reason": f"database unreachable or not initialised ({type(exc).__name__})"}
        return checks
    checks["database"] = {"ok": True, "reason": "answers"}
    head = ScriptDirectory.from_config(alembic_config(state.db_url)).get_current_head()
    if revision == head:
        checks["schema"] = {"ok": True, "reason": f"at head {head}"}
    else:
        checks["schema"] = {"ok": False, "reason": f"at {revision}, head is {head}: run `listingwatch db upgrade`"}
    stale = state.settings.scheduler_stale_s
    if heartbeat is None:
        checks["scheduler"] = {"ok": False, "reason": "no scheduler daemon has ever run: start `listingwatch schedule`"}
    else:
        age = heartbeat.age_s()
        checks["scheduler"] = {
            "ok": age <= stale,
            "reason": (f"last heartbeat {age:.0f} s ago from {heartbeat.host} pid {heartbeat.pid}"
                       + ("" if age <= stale else f" (older than {stale} s): is `listingwatch schedule` running?")),
        }
    return checks


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    state = state_of(request)
    if not _may_read_metrics(request, state.settings.metrics_token or os.environ.get(ENV_METRICS_TOKEN, "")):
        return PlainTextResponse("403 Forbidden: /metrics needs its bearer token, or a loopback client\n",
                                 status_code=403)
    registry = CollectorRegistry()
    registry.register(_DatabaseCollector(state))
    body = generate_latest(registry) + generate_latest(request.app.state.http_metrics.registry)
    return Response(body, media_type=METRICS_CONTENT_TYPE)


def _may_read_metrics(request: Request, token: str) -> bool:
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return request.client is not None and request.client.host in _LOOPBACK


class _DatabaseCollector(Collector):
    """What the database holds, read at scrape time."""

    def __init__(self, state: WebState) -> None:
        self._state = state

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        with self._state.db() as session:
            runs = session.execute(
                select(ScanRun.kind, ScanRun.status, func.count()).group_by(ScanRun.kind, ScanRun.status)).all()
            counts = session.execute(select(ScanRun.counts)).scalars().all()
            cases = session.execute(
                select(ReviewCase.status, func.count()).group_by(ReviewCase.status)).all()
            requests = session.execute(
                select(ScanRequest.status, func.count()).group_by(ScanRequest.status)).all()
            listings = session.execute(select(func.count()).select_from(Listing)).scalar_one()
            deliveries = session.execute(select(AlertDelivery.scheme, AlertDelivery.status, func.count())
                                         .group_by(AlertDelivery.scheme, AlertDelivery.status)).all()
            alerts = session.execute(select(Alert.kind, Alert.status, func.count())
                                     .group_by(Alert.kind, Alert.status)).all()
        scans = GaugeMetricFamily("listingwatch_scan_runs", "Scan runs by kind and status", labels=["kind", "status"])
        for kind, status, n in runs:
            scans.add_metric([kind, status], n)
        yield scans
        totals = _sum_counts(counts)
        pages = GaugeMetricFamily("listingwatch_scan_pages", "Pages fetched over all scan runs")
        pages.add_metric([], totals.pop(("pages", ""), 0.0))
        yield pages
        blocks = GaugeMetricFamily("listingwatch_scan_blocks", "Blocked requests over all scan runs, by kind",
                                   labels=["kind"])
        for (family, block_kind), blocked in sorted(totals.items()):
            if family == "blocks":
                blocks.add_metric([block_kind], blocked)
        yield blocks
        queue = GaugeMetricFamily("listingwatch_cases", "Review cases by status", labels=["status"])
        for status, n in cases:
            queue.add_metric([status], n)
        yield queue
        pending = GaugeMetricFamily("listingwatch_scan_requests", "On-demand scan requests by status",
                                    labels=["status"])
        for status, n in requests:
            pending.add_metric([status], n)
        yield pending
        stored = GaugeMetricFamily("listingwatch_listings", "Listings stored")
        stored.add_metric([], listings)
        yield stored
        # Stored rows, not this process's sends: the scheduler sends, the web app reports.
        # channel = the Apprise scheme (mailto, json, tgram): never the URL, which holds secrets.
        # Only final results count up: a delivery still `retrying` becomes `sent` or `failed`
        # later, and a counter that went down would read as a restart to Prometheus' rate().
        told = CounterMetricFamily("listingwatch_alert_deliveries", "Alert deliveries by channel and final "
                                   "result (sent, failed)", labels=["channel", "result"])
        waiting = GaugeMetricFamily("listingwatch_alert_deliveries_retrying", "Alert deliveries failed so far "
                                    "and waiting for their next try, by channel", labels=["channel"])
        for scheme, status, n in deliveries:
            if status == "retrying":
                waiting.add_metric([scheme], n)
            else:
                told.add_metric([scheme, status], n)
        yield told
        yield waiting
        raised = CounterMetricFamily("listingwatch_alerts", "Alerts raised by kind and status "
                                     "(dispatched, suppressed as duplicates, no_channel)", labels=["kind", "status"])
        for kind, status, n in alerts:
            raised.add_metric([kind, status], n)
        yield raised


def _sum_counts(all_counts: Sequence[Any]) -> dict[tuple[str, str], float]:
    """Pages and blocks by kind summed over runs' `counts` (DESIGN: pages, blocks by kind);
    anything that is not a number is ignored, a run's counts are data written by crawls."""
    totals: dict[tuple[str, str], float] = {}
    for counts in all_counts:
        if not isinstance(counts, dict):
            continue
        pages = counts.get("pages")
        if isinstance(pages, int | float):
            totals[("pages", "")] = totals.get(("pages", ""), 0) + pages
        blocks = counts.get("blocks")
        if isinstance(blocks, dict):
            for kind, n in blocks.items():
                if isinstance(n, int | float):
                    totals[("blocks", str(kind))] = totals.get(("blocks", str(kind)), 0) + n
    return totals


@dataclass(frozen=True, slots=True)
class HttpMetrics:
    """This process's request latency, in a registry of its own per app (test apps don't clash)."""

    registry: CollectorRegistry
    latency: Histogram


def http_metrics() -> HttpMetrics:
    registry = CollectorRegistry()
    latency = Histogram("listingwatch_http_request_seconds", "Web request latency by route and method",
                        ["route", "method"], registry=registry)
    return HttpMetrics(registry, latency)


async def observe_latency(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    route = request.scope.get("route")
    # The route's template ("/cases/{case_id}"), never the raw path: ids would explode the label set.
    name = getattr(route, "path", None) or "unmatched"
    request.app.state.http_metrics.latency.labels(name, request.method).observe(time.perf_counter() - started)
    return response

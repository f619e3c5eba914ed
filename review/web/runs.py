"""The scan-runs page (issue 17): `/runs` (every run, newest first, with a chart per night)
and `/runs/<id>` (one run in full), each run judged by the health monitors of
`rules/monitors.yaml` (`review.monitors`), so a `partial` run says why.

Everything shown from a run's record is data written by crawls (reasons, URLs, error
messages): it reaches the page only through Jinja's autoescaping, links only via `safe_href`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from detectors.vntime import VIETNAM_TZ
from review.monitors import MonitorResult, RunFacts, evaluate, problems, run_facts, worst
from review.web import helpers as web
from review.web.bounds import DbId
from review.web.i18n import translate
from review.web.routes import _page_number
from review.web.security import require
from rules.loader import RulesError, load_monitors
from rules.monitors import MonitorsFile
from storage.models import Alert, ExtractionError, ScanRun, User

router = APIRouter()

CurrentUser = Annotated[User, Depends(web.current_user)]

#: Sample URLs of extraction errors in the list (the run's own page shows more).
LIST_SAMPLES: Final = 3
DETAIL_SAMPLES: Final = 20
CHART_NIGHTS: Final = 14


@dataclass
class RunView:
    run: ScanRun
    facts: RunFacts
    monitors: list[MonitorResult]
    error_count: int
    error_samples: list[ExtractionError] = field(default_factory=list)

    @property
    def health(self) -> str | None:
        return worst(self.monitors) if self.monitors else None

    @property
    def tripped(self) -> list[MonitorResult]:
        return problems(self.monitors)

    @property
    def duration_s(self) -> float | None:
        if self.run.finished_at is None:
            return None
        return max(0.0, (self.run.finished_at - self.run.started_at).total_seconds())

    @property
    def request_id(self) -> int | None:
        value = (self.run.params or {}).get("request_id")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def format_duration(seconds: float | None) -> str:
    """H:MM:SS (or M:SS): the same in both languages, and sortable by eye."""
    if seconds is None:
        return "–"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _number(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0%}" if name == "max_block_rate" else f"{value:g}"


def monitor_text(lang: str, result: MonitorResult) -> str:
    """A monitor's verdict in the officer's language (`MonitorResult.reason` is for logs)."""
    key = "monitor.within" if result.status == "ok" else (
        "monitor.below" if result.name.startswith("min_") else "monitor.above")
    return translate(lang, key, name=translate(lang, f"monitor.{result.name}"),
                     where=f"{result.platform}: " if result.platform else "",
                     value=_number(result.name, result.value), level=_number(result.name, result.limit))


def _error_counts(session: Session, run_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(ExtractionError.scan_run_id, func.count())
        .where(ExtractionError.scan_run_id.in_(run_ids))
        .group_by(ExtractionError.scan_run_id)
    ).all()
    return {int(run_id): int(n) for run_id, n in rows if run_id is not None}


def _error_samples(session: Session, run_ids: list[int], per_run: int) -> dict[int, list[ExtractionError]]:
    # The first `per_run` of each run, picked by the database: a run with 10 000 errors must
    # not load them all to show three.
    ranked = (
        select(ExtractionError.id, func.row_number().over(
            partition_by=ExtractionError.scan_run_id, order_by=ExtractionError.id).label("n"))
        .where(ExtractionError.scan_run_id.in_(run_ids))
        .subquery()
    )
    rows = session.scalars(
        select(ExtractionError).join(ranked, ranked.c.id == ExtractionError.id)
        .where(ranked.c.n <= per_run).order_by(ExtractionError.id)
    ).all()
    out: dict[int, list[ExtractionError]] = defaultdict(list)
    for row in rows:
        if row.scan_run_id is not None:
            out[row.scan_run_id].append(row)
    return out


def _views(session: Session, runs: list[ScanRun], rules: MonitorsFile | None, samples: int) -> list[RunView]:
    ids = [r.id for r in runs]
    counts = _error_counts(session, ids)
    picked = _error_samples(session, ids, samples)
    views = []
    for run in runs:
        facts = run_facts(run.kind, run.status, run.platform, run.params, run.counts, counts.get(run.id, 0))
        results = evaluate(facts, rules) if rules is not None else []
        views.append(RunView(run, facts, results, max(counts.get(run.id, 0), facts.extraction_errors),
                             picked.get(run.id, [])))
    return views


@dataclass(frozen=True, slots=True)
class Night:
    label: str
    listings: int
    blocks: int


def nights(session: Session, now: datetime, days: int = CHART_NIGHTS) -> list[Night]:
    """Listings and blocked responses of the nightly runs, per local night (oldest first);
    a night without a nightly run is shown as zero, since a missing night is news too."""
    today = now.astimezone(VIETNAM_TZ).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), VIETNAM_TZ).astimezone(UTC)
    rows = session.execute(
        select(ScanRun.started_at, ScanRun.status, ScanRun.params, ScanRun.counts)
        .where(ScanRun.kind == "nightly", ScanRun.started_at >= since)
    ).all()
    listings: dict[Any, int] = defaultdict(int)
    blocks: dict[Any, int] = defaultdict(int)
    for started, status, params, counts in rows:
        day = started.astimezone(VIETNAM_TZ).date()
        facts = run_facts("nightly", status, None, params, counts)
        listings[day] += facts.listings or 0
        blocks[day] += facts.blocked
    days_shown = [first + timedelta(days=i) for i in range(days)]
    return [Night(d.strftime("%d/%m"), listings[d], blocks[d]) for d in days_shown]


def _monitors(request: Request) -> tuple[MonitorsFile | None, str | None]:
    """The monitors, read per page view (a small file; an analyst's edit shows at once), or
    the error that stops them: the runs are still listed, the page says why unjudged."""
    try:
        return load_monitors(web.state_of(request).settings.rules_dir), None
    except RulesError as exc:
        web.log.warning("monitors.yaml: %s", exc)
        return None, str(exc)


def _formatters(request: Request) -> dict[str, Any]:
    lang = web.lang_of(request)
    return {"duration": format_duration, "say": lambda result: monitor_text(lang, result),
            "level": _number}


@router.get("/runs")
def runs_page(request: Request, user: CurrentUser) -> Response:
    require(user, "view")
    state = web.state_of(request)
    page_no = _page_number(request)
    per_page = state.settings.per_page
    rules, broken = _monitors(request)
    with state.db() as session:
        total = int(session.scalar(select(func.count()).select_from(ScanRun)) or 0)
        pages = max(1, -(-total // per_page))
        page_no = min(page_no, pages)
        runs = list(session.scalars(
            select(ScanRun).order_by(ScanRun.started_at.desc(), ScanRun.id.desc())
            .offset((page_no - 1) * per_page).limit(per_page)
        ))
        views = _views(session, runs, rules, LIST_SAMPLES)
        chart = nights(session, datetime.now(UTC))
    return web.render(request, "runs.html", {
        "views": views, "total": total, "page_no": page_no, "pages": pages, "broken": broken,
        "chart_listings": [(n.label, n.listings) for n in chart],
        "chart_blocks": [(n.label, n.blocks) for n in chart],
        "chart_days": CHART_NIGHTS, "samples": LIST_SAMPLES, **_formatters(request),
    }, user=user)


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: DbId, user: CurrentUser) -> Response:
    require(user, "view")
    state = web.state_of(request)
    rules, broken = _monitors(request)
    with state.db() as session:
        run = session.get(ScanRun, run_id)
        if run is None:
            raise HTTPException(404)
        view = _views(session, [run], rules, DETAIL_SAMPLES)[0]
        alerts = [(a, list(a.deliveries)) for a in session.scalars(
            select(Alert).where(Alert.scan_run_id == run_id).order_by(Alert.id).limit(20))]
    asked = (run.params or {}).get("asked")
    return web.render(request, "run.html", {
        "v": view, "broken": broken, "samples": DETAIL_SAMPLES, **_formatters(request),
        "asked": [a for a in asked if isinstance(a, dict)] if isinstance(asked, list) else [],
        "alerts": alerts,
    }, user=user)

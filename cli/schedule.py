"""The scheduler daemon and on-demand seller scans (issue #6): `schedule`, `scan-seller`."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.app import (
    DbOption,
    RulesOption,
    _actor,
    _db_url,
    _exit_if_signalled,
    _load_rules,
    _recover_stale_runs,
    _rules_with_watchlist,
    _signals_stop,
    app,
    err,
    fail,
    out,
)

if TYPE_CHECKING:
    from rules.loader import RuleSet


@dataclass
class JobInfo:
    id: str
    name: str
    trigger: str
    next_run: datetime | None


def stored_jobs(db_url: str, rules: RuleSet) -> tuple[list[JobInfo], bool]:
    """The jobs in the store with their next run times (read-only), or — when the store is
    empty — what the watchlist would schedule. The flag says which."""
    from scheduler import make_scheduler, planned_jobs

    scheduler = make_scheduler(db_url, rules)
    scheduler.start(paused=True)
    try:
        stored = [JobInfo(j.id, j.name, str(j.trigger), j.next_run_time) for j in scheduler.get_jobs()]
    finally:
        scheduler.shutdown(wait=False)
    if stored:
        return stored, True
    now = datetime.now(UTC)
    planned = [JobInfo(job_id, name, str(trigger), trigger.get_next_fire_time(None, now))
               for job_id, name, _, _, trigger in planned_jobs(rules)]
    return planned, False


WatchlistOption = Annotated[Path | None, typer.Option("--watchlist", help="A watchlist.yaml to use.")]
DemoUrlOption = Annotated[
    list[str] | None,
    typer.Option("--demo-url", help="Root of a running demo marketplace to allow (also $LISTINGWATCH_DEMO_URL)."),
]


@app.command()
def schedule(
    list_jobs: Annotated[bool, typer.Option("--list", help="Print the jobs and their next run times, then exit.")] = False,
    run_now: Annotated[bool, typer.Option("--run-now", help="Run every job once right away, then on its cron.")] = False,
    watchlist: WatchlistOption = None,
    demo_url: DemoUrlOption = None,
    db: DbOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """The scheduler daemon: nightly scans from the watchlist + the on-demand seller-scan worker.

    Runs until SIGTERM / Ctrl-C; a running crawl is then stopped and its run marked failed
    ("stopped"). Demo platforms in the watchlist are crawled on --demo-url, or on a demo
    marketplace the daemon starts itself.
    """
    from crawler.seller_urls import demo_origins_from_env
    from demo.server import DemoServer
    from scheduler import Daemon, DaemonContext, schedulable
    from storage.db import upgrade

    rules = _rules_with_watchlist(rules_dir, watchlist)
    url = _db_url(db)
    upgrade(url)
    if list_jobs:
        jobs, stored = stored_jobs(url, rules)
        from rich.table import Table

        table = Table(title="scheduled jobs" if stored else "jobs the watchlist would schedule (none stored yet)",
                      title_justify="left")
        for column in ("id", "trigger", f"next run ({rules.watchlist.timezone})"):
            table.add_column(column)
        for job in jobs:
            from zoneinfo import ZoneInfo

            when = "-" if job.next_run is None else job.next_run.astimezone(ZoneInfo(rules.watchlist.timezone)).strftime("%Y-%m-%d %H:%M %Z")
            table.add_row(job.id, job.trigger, when)
        out.print(table, markup=False)
        for platform, why in schedulable(rules)[1].items():
            out.print(f"not scheduled: {platform} ({why})", markup=False)
        return
    origins = tuple(demo_url or ()) + demo_origins_from_env()
    wants_demo = any(p.startswith("demo-") for p in schedulable(rules)[0])
    server = DemoServer() if wants_demo and not origins else None
    try:
        demo_root: str | None = origins[0] if origins else None
        if server is not None:
            demo_root = server.start().base_url
            origins = (demo_root,)
            err.print(f"demo marketplace on {demo_root}", markup=False)
        ctx = DaemonContext(db_url=url, rules=rules, rules_dir=rules_dir, watchlist_path=watchlist,
                            demo_base_url=demo_root, demo_origins=origins, reload_rules=True)
        Daemon(ctx, run_now=run_now).run_forever()
    finally:
        if server is not None:
            server.stop()
    err.print("scheduler stopped", markup=False)


@app.command("scan-seller")
def scan_seller(
    url: Annotated[str, typer.Argument(help="The seller's shop URL, a product URL of that shop, or a URL with its seller id.")],
    wait: Annotated[bool, typer.Option("--wait", help="Show progress and the seller's report (scans here if no daemon takes it).")] = False,
    requested_by: Annotated[str | None, typer.Option("--as", help="Who asks, a user (default: $USER; kept with the request).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    demo_url: DemoUrlOption = None,
    db: DbOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """On-demand scan of one seller. Without --wait the request is queued for the daemon."""
    from crawler.seller_urls import SellerURLError, demo_origins_from_env
    from scheduler import StopRequest, submit_seller_scan, validate_seller_url, wait_or_run
    from storage.db import upgrade
    from storage.runs import cancel_queued

    rules = _load_rules(rules_dir)
    origins = tuple(demo_url or ()) + demo_origins_from_env()
    dburl = _db_url(db)
    try:
        # Validate before touching the database: a refused URL leaves no trace and sends nothing.
        validate_seller_url(url, rules, demo_origins=origins)
    except SellerURLError as exc:
        raise fail(str(exc), 2) from exc
    upgrade(dburl)
    _recover_stale_runs(dburl)
    request_id, ref = submit_seller_scan(dburl, rules, url, _actor(requested_by, db), demo_origins=origins)
    err.print(f"scan request {request_id}: {ref.describe()}", markup=False)
    if not wait:
        out.print(f"queued as request {request_id}; `listingwatch schedule` takes it "
                  f"(or run scan-seller with --wait to scan here)", markup=False)
        return
    stop = StopRequest()
    try:
        # SIGTERM / Ctrl-C: a scan this process runs is stopped and its run and request marked
        # failed; a request nobody took yet is cancelled (issue 14 item 4).
        with _signals_stop(stop) as received:
            report = wait_or_run(dburl, rules, request_id, demo_origins=origins,
                                 on_progress=_progress_printer(), stop=stop)
    except KeyboardInterrupt:  # a second Ctrl-C: stop waiting at once
        cancel_queued(dburl, request_id, "cancelled while waiting")
        raise fail("interrupted", 130) from None
    if received:
        cancel_queued(dburl, request_id, "cancelled while waiting")
        _exit_if_signalled(received, f"scan request {request_id}: {report.status}"
                           + (f", run {report.run_id} {report.run_status}" if report.run_id else ""))
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, default=str) + "\n")
    else:
        _print_seller_report(report)
    if report.status != "done":
        raise typer.Exit(1)


def _progress_printer() -> Any:
    """Progress of a request: a live line on a terminal, plain log lines when something changes otherwise."""
    last: list[tuple[Any, ...]] = []
    tty = err.is_terminal
    status_line = err.status("waiting for a worker") if tty else None
    if status_line is not None:
        status_line.start()

    def show(p: Any) -> None:
        key = (p.status, p.pages, p.listings, p.flagged)
        if last and last[-1] == key:
            return
        last.append(key)
        text = f"request {p.status}" + (f" (run {p.run_id})" if p.run_id is not None else "") + \
            f": pages {p.pages}, listings {p.listings}, flagged {p.flagged}"
        if status_line is not None:
            if p.status in ("done", "failed", "refused"):
                status_line.stop()
                err.print(text, markup=False)
            else:
                status_line.update(text)
        else:
            err.print(text, markup=False)

    return show


def _print_seller_report(report: Any) -> None:
    if report.status == "refused":
        out.print(f"request {report.request_id} refused: {report.error}", markup=False)
        return
    if report.seller_pk is None:
        reason = report.error or report.run_reason or "no listings found"
        out.print(f"request {report.request_id} {report.status}: no seller found ({reason})", markup=False)
        return
    style = "bold red" if report.flagged else "green"
    out.print(f"seller {report.platform}/{report.seller_key} {report.seller_name or ''}", markup=False)
    out.print(f"[{style}]risk {report.risk or 0.0:.2f} — {'FLAGGED' if report.flagged else 'not flagged'}[/]"
              f"  ({len(report.flagged_listings)} of {report.listings} listings flagged)", markup=True)
    if report.top_signals:
        out.print("top signals:", markup=False)
        for signal in report.top_signals:
            out.print(f"  - [{float(signal.get('score', 0)):.2f}] {signal.get('detail')}", markup=False)
    if report.flagged_listings:
        out.print("flagged listings:", markup=False)
        for row in report.flagged_listings[:20]:
            out.print(f"  [{(row['risk'] or 0.0):.2f}] {row['title']}  {row['price']} VND  {row['url'] or ''}", markup=False)
    action = {"opened": "case opened", "reopened": "case reopened", "rescored": "case updated",
              "touched": "case updated", "suppressed": "no case (a dismissal at this risk holds)",
              "none": "no case (not flagged)"}.get(report.case_action or "", "no case change")
    case = f" #{report.case_id}" if report.case_id is not None and report.case_action not in (None, "none", "suppressed") else ""
    out.print(f"{action}{case}; scan run {report.run_id}: {report.run_status}"
              + (f" ({report.run_reason})" if report.run_reason else ""), markup=False)
    if report.run_status == "partial":
        out.print("[bold yellow]PARTIAL scan: the seller's shop was not fully read[/]", markup=True)

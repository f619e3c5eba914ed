"""Scans from the command line: `demo-server`, `demo`, `scan`, `rescore`, `crawl-worker`.

The scheduler daemon and on-demand seller scans are in cli/schedule.py."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.app import (
    DbOption,
    RulesOption,
    _db_url,
    _exit_if_signalled,
    _load_rules,
    _recover_stale_runs,
    _rules_with_watchlist,
    _sessions,
    _signals_stop,
    app,
    err,
    fail,
    out,
)

#: `demo` and `demo-server` serve the same marketplace on the same default port, so the listing
#: URLs a demo scan stored still answer when the demo server runs alone (takedown checks).
DEMO_PORT = 8077
PortOption = Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: a free one).")]


@app.command("demo-server")
def demo_server(
    port: PortOption = DEMO_PORT,
    removed: Annotated[str | None, typer.Option(
        "--removed", help="Platform listing ids (comma-separated) to show as taken down.")] = None,
) -> None:
    """Run the demo marketplace alone, until Ctrl-C."""
    from demo.server import serve_forever

    ids = [part.strip() for part in (removed or "").split(",") if part.strip() != ""]
    serve_forever(port, removed=ids)


def _print_scan_summary(report: Any, *, title: str) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("platform")
    table.add_column("listings crawled", justify="right")
    for platform, count in sorted(report.listings_by_platform.items()):
        table.add_row(platform, str(count))
    table.add_row("total", str(report.listings_seen))
    out.print(table, markup=False)
    out.print(
        f"new listings {report.listings_new}, changed {report.listings_changed}, "
        f"flagged listings {report.flagged_listings}, sellers flagged {report.sellers_flagged}, "
        f"sellers queued {report.cases_opened} (cases updated {report.cases_updated}), "
        f"requests {report.requests}, extraction errors {report.extraction_errors}, "
        f"refused requests {report.refused_requests}",
        markup=False,
    )
    if report.blocks:
        out.print("blocked: " + ", ".join(f"{k}={v}" for k, v in sorted(report.blocks.items())), markup=False)
    style = {"ok": "green", "partial": "bold yellow", "failed": "bold red"}[report.status]
    reason = f" ({report.reason})" if report.reason is not None else ""
    out.print(f"[{style}]scan run {report.run_id}: {report.status.upper()}[/]{reason}", markup=True)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Where flagged_sellers.csv goes.")] = Path("out"),
    port: PortOption = DEMO_PORT,
    db: DbOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """Start the demo marketplace, scan it, queue, export DIR/flagged_sellers.csv, print a summary."""
    import threading
    from datetime import UTC, datetime

    from crawler.platforms import demo_paths
    from demo.server import DemoServer
    from review.export import flagged_sellers_frame, write_flagged_sellers
    from review.scan_progress import show_while
    from scheduler import StopRequest, execute_scan, watchlist_specs
    from storage.db import upgrade

    rules = _load_rules(rules_dir)
    url = _db_url(db)
    upgrade(url)
    _recover_stale_runs(url)
    result: list[Any] = []
    failure: list[BaseException] = []
    stop = StopRequest()
    try:
        server = DemoServer(port=port)
        server.start()
    except OSError as exc:
        raise fail(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); try --port 0 or another port") from exc
    # SIGTERM / Ctrl-C stop the scan (its crawl ended, the run marked failed "interrupted")
    # instead of killing this thread while the scan's thread goes on (issue 14 item 4).
    with _signals_stop(stop) as received, server:
        err.print(f"demo marketplace on {server.base_url}", markup=False)
        specs = watchlist_specs(rules, platforms=list(demo_paths()), demo_base_url=server.base_url)

        def run() -> None:
            try:
                result.append(execute_scan(specs, kind="demo", db_url=url, rules=rules, platform="demo",
                                           stop=stop))
            except BaseException as exc:  # re-raised below, in the command's thread
                failure.append(exc)

        # The scan runs in a thread so that this one can show its progress (it was ~100 s of silence).
        since = datetime.now(UTC).replace(microsecond=0)
        worker = threading.Thread(target=run, name="demo-scan")
        worker.start()
        show_while(worker, url, "demo", since, err)
    if failure:
        raise failure[0]
    report = result[0]
    if received:
        _print_scan_summary(report, title="demo scan (interrupted)")
        _exit_if_signalled(received, f"demo scan run {report.run_id} is marked failed")
    _print_scan_summary(report, title="demo scan")
    from review.networks.store import network_counts

    with _sessions(db)() as session:
        frame = flagged_sellers_frame(session)
        networks, networked = network_counts(session)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "flagged_sellers.csv"
    write_flagged_sellers(frame, target, "csv", "en")
    out.print(f"{len(frame)} flagged sellers written to {target}", markup=False)
    out.print(f"seller networks: {networks} ({networked} sellers; `listingwatch networks list`)", markup=False)
    out.print("next: open that CSV (Excel reads it as UTF-8), or add a user and review the queue in the web app:\n"
              "  printf '%s\\n' 'a long uncommon passphrase' | listingwatch user add lan --role analyst\n"
              "  listingwatch serve   # then open http://127.0.0.1:8000", markup=False)
    if report.status == "failed":
        raise typer.Exit(1)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM interrupts the scan wherever it is, so its run ends `failed` (`ScanInterrupted`)
    instead of the process dying with the run `running`, or finishing the capture as `ok`."""
    import signal

    from scheduler import ScanInterrupted

    def interrupt(signum: int, frame: Any) -> None:
        raise ScanInterrupted

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    except ScanInterrupted:
        raise fail("interrupted (SIGTERM): the scan run is marked failed", 143) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def scan(
    platform: Annotated[list[str] | None, typer.Option("--platform", "-p", help="Only these platforms.")] = None,
    watchlist: Annotated[Path | None, typer.Option("--watchlist", help="A watchlist.yaml to use.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Crawl this site root instead of the platform's.")] = None,
    db: DbOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """One scan now, from the watchlist (what the nightly job runs)."""
    from crawler.platforms import demo_paths
    from demo.server import DemoServer
    from scheduler import execute_scan, watchlist_specs
    from storage.db import upgrade

    rules = _rules_with_watchlist(rules_dir, watchlist)
    unknown = [p for p in platform or [] if p not in rules.watchlist.platforms]
    if unknown:
        raise fail(f"not in the watchlist: {', '.join(unknown)}", 2)
    url = _db_url(db)
    upgrade(url)
    _recover_stale_runs(url)
    wanted = platform if platform else None
    demo_needed = base_url is None and any(
        p in demo_paths() for p in (wanted or [p for p, e in rules.watchlist.platforms.items() if e.enabled])
    )
    server = DemoServer() if demo_needed else None
    try:
        demo_root = server.start().base_url if server is not None else None
        specs = watchlist_specs(rules, platforms=wanted, demo_base_url=demo_root, base_url=base_url)
        if not specs:
            raise fail("nothing to scan: the watchlist has no enabled entry for that", 2)
        with _sigterm_interrupts():
            report = execute_scan(specs, kind="manual", db_url=url, rules=rules,
                                  platform=",".join(wanted or []) or None)
    finally:
        if server is not None:
            server.stop()
    _print_scan_summary(report, title="scan")
    if report.status == "failed":
        raise typer.Exit(1)


@app.command()
def rescore(db: DbOption = None, rules_dir: RulesOption = None) -> None:
    """Re-run the detectors over every stored listing and re-sync the case queue."""
    from pipeline.model_store import ModelRefused
    from review.scan_report import rescore_stored

    rules = _load_rules(rules_dir)
    try:
        report = rescore_stored(_db_url(db), rules)
    except ModelRefused as exc:  # a learned model whose file changed: one line, nothing rescored
        raise fail(str(exc)) from None
    out.print(
        f"rescored {report.listings_scored} listings of {report.sellers_assessed} sellers with rules "
        f"{rules.version}: {report.flagged_listings} flagged, {report.sellers_flagged} sellers flagged, "
        f"{report.cases_opened} cases opened, {report.cases_updated} updated"
    )


@app.command("crawl-worker")
def crawl_worker(
    run: Annotated[int | None, typer.Option("--run", help="Join this scan run (implies --once).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Leave after one run (default: keep joining runs).")] = False,
    wait: Annotated[float, typer.Option("--wait", min=0, help="With --once/--run: seconds to wait for the run to open.")] = 60.0,
    redis_url: Annotated[str | None, typer.Option("--redis", help="Redis URL (default: $LISTINGWATCH_REDIS_URL).")] = None,
    db: DbOption = None,
) -> None:
    """An extra crawler process: join running scan runs and take requests from their shared queue."""
    from crawler.distributed import DistributedError
    from crawler.distributed import redis_url as env_redis_url
    from crawler.worker import join

    url = redis_url if redis_url is not None else env_redis_url()
    if url is None:
        raise fail("crawl-worker needs Redis: set LISTINGWATCH_REDIS_URL or pass --redis", 2)
    db_url = _db_url(db)
    once = once or run is not None
    joined: list[int] = []
    while True:
        try:
            report = join(db_url, url=url, run_id=run, wait=wait if once else 5.0, skip=joined)
        except DistributedError as exc:
            raise fail(str(exc)) from exc
        if report is None:
            if once:
                which = f"scan run {run}" if run is not None else "a scan run"
                raise fail(f"{which} did not open for workers within {wait:g}s")
            continue
        joined.append(report.run_id)
        listings = sum(o.items for o in report.outcomes)
        requests = sum(o.requests for o in report.outcomes)
        new = sum(int(o.stats.get("listingwatch/listings_new", 0)) for o in report.outcomes)
        worst = max((o.status for o in report.outcomes), key=("ok", "partial", "failed").index, default="ok")
        out.print(f"scan run {report.run_id}: worker crawled {listings} listings ({new} new), "
                  f"{requests} requests: {worst}", markup=False)
        if once:
            if worst == "failed":
                raise typer.Exit(1)
            return

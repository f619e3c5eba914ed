"""listingwatch: the command line, the front door to everything (DESIGN §5).

Exit codes: 0 success, 1 failure, 2 usage error. Domain errors are mapped to a clear
message and an exit code here, at the edge; the packages below raise typed exceptions.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console

app = typer.Typer(
    name="listingwatch",
    help="Find counterfeit goods sold online: crawl, score, queue for QLTT review, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
queue_app = typer.Typer(help="The review queue: one open case per suspicious seller.", no_args_is_help=True)
export_app = typer.Typer(help="Exports for analysts.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Users of the web app.", no_args_is_help=True)
rules_app = typer.Typer(help="Analyst-editable rules.", no_args_is_help=True)
app.add_typer(queue_app, name="queue")
app.add_typer(export_app, name="export")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(rules_app, name="rules")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Folder of rules YAML (default: $LISTINGWATCH_RULES or the packaged rules)."),
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $LISTINGWATCH_DB_URL or sqlite:///var/listingwatch.db)."),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False) -> None:
    _setup_logging(verbose)
    # Scrapy and friends are chatty at INFO; our own lines stay.
    for noisy in ("scrapy", "filelock", "asyncio", "py.warnings", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _load_rules(rules_dir: Path | None) -> Any:
    from rules.loader import RulesError, load_rules

    try:
        return load_rules(rules_dir)
    except RulesError as exc:
        raise fail(f"rules: {exc}") from exc


def _db_url(db: str | None) -> str:
    from storage.db import database_url

    return db if db is not None else database_url()


# --------------------------------------------------------------------------- parse


@app.command()
def parse(
    platform: Annotated[str, typer.Argument(help="tiki, sendo, shopee, lazada, web, ...")],
    file: Annotated[Path, typer.Argument(help="A saved response or page.")],
    url: Annotated[str | None, typer.Option("--url", help="The URL the body came from.")] = None,
) -> None:
    """Saved response or page -> JSONL listing records on stdout."""
    from crawler.extractors import EXTRACTORS, ExtractionError, parse_file

    if platform not in EXTRACTORS:
        raise fail(f"unknown platform {platform!r}; known: {', '.join(sorted(EXTRACTORS))}", 2)
    if not file.is_file():
        raise fail(f"no such file: {file}", 2)
    try:
        records = parse_file(platform, file, url)
    except ExtractionError as exc:
        raise fail(f"{file}: {exc}") from exc
    for record in records:
        sys.stdout.write(json.dumps(record.to_json_dict(), ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- score


def _read_jsonl(stream: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        if line.strip() != "":
            yield number, line


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@app.command()
def score(
    input: Annotated[Path | None, typer.Option("--input", "-i", help="JSONL records (default: stdin).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Scored JSONL (default: stdout).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of signal details: en or vi.")] = "en",
    rules_dir: RulesOption = None,
    chunk_size: Annotated[int, typer.Option(help="Records scored together (peer statistics).")] = 5000,
) -> None:
    """JSONL listing records -> scored JSONL (risk, flagged, signals). Bad records get an error line."""
    from detectors import score_listings
    from pipeline.normalize import RecordError, normalize_raw, to_listing

    if lang not in ("en", "vi"):
        raise fail("--lang must be 'en' or 'vi'", 2)
    if chunk_size < 1:
        raise fail("--chunk-size must be at least 1", 2)
    rules = _load_rules(rules_dir)
    source = sys.stdin if input is None else input.open(encoding="utf-8", errors="replace")
    sink = sys.stdout if output is None else output.open("w", encoding="utf-8")
    bad = 0
    scored_count = 0

    def readable() -> Iterator[tuple[Any, dict[str, Any]]]:
        nonlocal bad
        for number, line in _read_jsonl(source):
            where = f"{input or '<stdin>'}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                bad += 1
                err.print(f"{where}: not JSON: {exc.msg} at column {exc.colno}", markup=False)
                continue
            if not isinstance(raw, dict):
                bad += 1
                err.print(f"{where}: expected a JSON object, got {type(raw).__name__}", markup=False)
                continue
            try:
                listing = to_listing(normalize_raw(raw))
            except RecordError as exc:
                bad += 1
                ident = raw.get("listing_id")
                err.print(f"{where} (listing_id={ident!r}): field {exc.field}: {exc.message}", markup=False)
                continue
            yield listing, raw

    try:
        for chunk in _chunks(readable(), chunk_size):
            listings = [listing for listing, _ in chunk]
            for listing, result in zip(listings, score_listings(listings, rules), strict=True):
                record = listing.to_json_dict()
                record["risk"] = round(result.risk, 4)
                record["flagged"] = result.flagged
                record["signals"] = [
                    {"code": s.code, "detector": s.detector, "score": round(s.score, 4), "detail": s.explain(lang)}
                    for s in result.signals
                ]
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                scored_count += 1
    finally:
        if output is not None:
            sink.close()
        if input is not None:
            source.close()
    err.print(f"scored {scored_count} records, {bad} unreadable", markup=False)
    if bad:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- demo, scans


@app.command("demo-server")
def demo_server(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: a free one).")] = 8077,
) -> None:
    """Run the demo marketplace alone, until Ctrl-C."""
    from demo.server import serve_forever

    serve_forever(port)


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
        f"requests {report.requests}, extraction errors {report.extraction_errors}",
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
    db: DbOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """Start the demo marketplace, scan it, queue, export DIR/flagged_sellers.csv, print a summary."""
    from demo.server import DemoServer
    from review.export import flagged_sellers_frame, write_flagged_sellers
    from scheduler import DEMO_PATHS, execute_scan, watchlist_specs
    from storage.db import upgrade

    rules = _load_rules(rules_dir)
    url = _db_url(db)
    upgrade(url)
    with DemoServer() as server:
        err.print(f"demo marketplace on {server.base_url}", markup=False)
        specs = watchlist_specs(rules, platforms=list(DEMO_PATHS), demo_base_url=server.base_url)
        report = execute_scan(specs, kind="demo", db_url=url, rules=rules, platform="demo")
    _print_scan_summary(report, title="demo scan")
    with _sessions(db)() as session:
        frame = flagged_sellers_frame(session)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "flagged_sellers.csv"
    write_flagged_sellers(frame, target, "csv", "en")
    out.print(f"{len(frame)} flagged sellers written to {target}", markup=False)
    if report.status == "failed":
        raise typer.Exit(1)


@app.command()
def scan(
    platform: Annotated[list[str] | None, typer.Option("--platform", "-p", help="Only these platforms.")] = None,
    watchlist: Annotated[Path | None, typer.Option("--watchlist", help="A watchlist.yaml to use.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Crawl this site root instead of the platform's.")] = None,
    db: DbOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """One scan now, from the watchlist (what the nightly job runs)."""
    from demo.server import DemoServer
    from rules.loader import RulesError, load_watchlist
    from scheduler import DEMO_PATHS, execute_scan, watchlist_specs
    from storage.db import upgrade

    rules = _load_rules(rules_dir)
    if watchlist is not None:
        try:
            rules = rules.model_copy(update={"watchlist": load_watchlist(watchlist)})
        except RulesError as exc:
            raise fail(f"watchlist: {exc}") from exc
    unknown = [p for p in platform or [] if p not in rules.watchlist.platforms]
    if unknown:
        raise fail(f"not in the watchlist: {', '.join(unknown)}", 2)
    url = _db_url(db)
    upgrade(url)
    wanted = platform if platform else None
    demo_needed = base_url is None and any(
        p in DEMO_PATHS for p in (wanted or [p for p, e in rules.watchlist.platforms.items() if e.enabled])
    )
    server = DemoServer() if demo_needed else None
    try:
        demo_root = server.start().base_url if server is not None else None
        specs = watchlist_specs(rules, platforms=wanted, demo_base_url=demo_root, base_url=base_url)
        if not specs:
            raise fail("nothing to scan: the watchlist has no enabled entry for that", 2)
        report = execute_scan(specs, kind="manual", db_url=url, rules=rules, platform=",".join(wanted or []) or None)
    finally:
        if server is not None:
            server.stop()
    _print_scan_summary(report, title="scan")
    if report.status == "failed":
        raise typer.Exit(1)


# --------------------------------------------------------------------------- rescore, export, queue


@app.command()
def rescore(db: DbOption = None, rules_dir: RulesOption = None) -> None:
    """Re-run the detectors over every stored listing and re-sync the case queue."""
    from scheduler import rescore_stored

    rules = _load_rules(rules_dir)
    report = rescore_stored(_db_url(db), rules)
    out.print(
        f"rescored {report.listings_scored} listings of {report.sellers_assessed} sellers with rules "
        f"{rules.version}: {report.flagged_listings} flagged, {report.sellers_flagged} sellers flagged, "
        f"{report.cases_opened} cases opened, {report.cases_updated} updated"
    )


@export_app.command("flagged-sellers")
def export_flagged_sellers(
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Output file.")] = Path("flagged_sellers.csv"),
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    lang: Annotated[str, typer.Option("--lang", help="Header language: en or vi.")] = "en",
    platform: Annotated[str | None, typer.Option("--platform", help="Only this platform.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only cases with this status.")] = None,
    min_risk: Annotated[float | None, typer.Option("--min-risk", help="Only sellers at or above this risk.")] = None,
    db: DbOption = None,
) -> None:
    """The flagged-seller table (DESIGN §3.3): CSV with BOM, or Excel."""
    from review.export import flagged_sellers_frame, write_flagged_sellers

    if fmt not in ("csv", "xlsx"):
        raise fail("--format must be csv or xlsx", 2)
    if lang not in ("en", "vi"):
        raise fail("--lang must be en or vi", 2)
    with _sessions(db)() as session:
        frame = flagged_sellers_frame(session, platform=platform, status=status, min_risk=min_risk)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_flagged_sellers(frame, out_path, "xlsx" if fmt == "xlsx" else "csv", "vi" if lang == "vi" else "en")
    err.print(f"wrote {len(frame)} sellers to {out_path}", markup=False)


@queue_app.command("list")
def queue_list(
    status: Annotated[str | None, typer.Option("--status", help="open, in_review, confirmed, dismissed, referred.")] = None,
    platform: Annotated[str | None, typer.Option("--platform")] = None,
    min_risk: Annotated[float | None, typer.Option("--min-risk")] = None,
    assignee: Annotated[str | None, typer.Option("--assignee")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    offset: Annotated[int, typer.Option("--offset")] = 0,
    db: DbOption = None,
) -> None:
    """Cases, highest priority first (default: open and in review)."""
    from rich.table import Table

    from review.queue import count_cases, list_cases

    statuses: str | list[str] = ["open", "in_review"] if status is None else status
    with _sessions(db)() as session:
        total = count_cases(session, status=statuses, platform=platform, min_risk=min_risk, assignee=assignee)
        cases = list_cases(
            session, status=statuses, platform=platform, min_risk=min_risk, assignee=assignee,
            limit=limit, offset=offset,
        )
        table = Table(title=f"{total} cases", title_justify="left")
        for column in ("case", "status", "priority", "risk", "platform", "seller", "name", "assignee", "last scan"):
            table.add_column(column)
        for case in cases:
            table.add_row(
                str(case.id), case.status, f"{case.priority:.2f}", f"{case.risk:.2f}",
                case.seller.platform, case.seller.seller_key, case.seller.name or "",
                case.assignee.name if case.assignee is not None else "",
                case.last_scanned_at.strftime("%Y-%m-%d %H:%M"),
            )
    out.print(table, markup=False)


@queue_app.command("show")
def queue_show(case_id: Annotated[int, typer.Argument()], db: DbOption = None) -> None:
    """One case: the seller, its flagged listings with their signals, and the timeline."""
    from sqlalchemy import select

    from review.queue import ReviewError, case_events, get_case
    from storage import repo
    from storage.models import ListingSignal

    with _sessions(db)() as session:
        try:
            case = get_case(session, case_id)
        except ReviewError as exc:
            raise fail(str(exc)) from exc
        seller = case.seller
        lines = [
            f"case {case.id}  status {case.status}  risk {case.risk:.2f}  priority {case.priority:.2f}",
            f"seller {seller.platform}/{seller.seller_key}  {seller.name or ''}  {seller.url or ''}",
            f"location {seller.location or '-'}  official {seller.is_official}  business id {seller.business_id or '-'}"
            f"  phone {seller.phone or '-'}  address {seller.address or '-'}",
        ]
        assessment = repo.latest_assessment(session, seller.id)
        if assessment is not None:
            lines.append(
                f"assessment: {assessment.flagged_listings}/{assessment.total_listings} listings flagged"
            )
            lines.extend(f"  - {s.get('detail')}" for s in assessment.signals)
        lines.append("flagged listings:")
        for listing in sorted(seller.listings, key=lambda row: -(row.risk or 0.0)):
            if not listing.flagged:
                continue
            lines.append(f"  [{(listing.risk or 0.0):.2f}] {listing.title}  {listing.price} VND  {listing.url or ''}")
            signals = session.scalars(select(ListingSignal).where(ListingSignal.listing_id == listing.id))
            lines.extend(f"      - {signal.detail}" for signal in signals)
        lines.append("timeline:")
        for event in case_events(session, case.id):
            change = f" {event.from_status}->{event.to_status}" if event.to_status is not None else ""
            note = f": {event.note}" if event.note is not None else ""
            lines.append(f"  {event.at:%Y-%m-%d %H:%M} {event.actor} {event.kind}{change}{note}")
    for line in lines:
        out.print(line, markup=False)


@queue_app.command("assign")
def queue_assign(
    case_id: Annotated[int, typer.Argument()],
    assignee: Annotated[str, typer.Argument(help="User name of the inspector or analyst.")],
    actor: Annotated[str, typer.Option("--as", help="Who is assigning.")] = os.environ.get("USER", "cli"),
    db: DbOption = None,
) -> None:
    """Assign a case to a user."""
    from review.queue import ReviewError, assign

    try:
        with _sessions(db)() as session, session.begin():
            assign(session, case_id, assignee, actor)
    except ReviewError as exc:
        raise fail(str(exc)) from exc
    out.print(f"case {case_id} assigned to {assignee}", markup=False)


@queue_app.command("decide")
def queue_decide(
    case_id: Annotated[int, typer.Argument()],
    decision: Annotated[str, typer.Argument(help="in_review, confirmed, dismissed or referred.")],
    note: Annotated[str, typer.Option("--note", help="Why (required).")],
    actor: Annotated[str, typer.Option("--as", help="Who decides.")] = os.environ.get("USER", "cli"),
    db: DbOption = None,
) -> None:
    """Move a case on, with a note; every change is an event in the audit trail."""
    from review.queue import ReviewError, decide

    try:
        with _sessions(db)() as session, session.begin():
            decide(session, case_id, decision, note, actor)
    except ReviewError as exc:
        raise fail(str(exc)) from exc
    out.print(f"case {case_id} is now {decision}", markup=False)


# --------------------------------------------------------------------------- db, users, rules


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the database schema to the newest version."""
    from storage.db import upgrade

    url = _db_url(db)
    upgrade(url)
    err.print(f"database schema is current ({_redact(url)})", markup=False)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@rules_app.command("check")
def rules_check(rules_dir: RulesOption = None) -> None:
    """Validate the rules YAML; errors name the file, line and field."""
    rules = _load_rules(rules_dir)
    out.print(f"rules ok: {len(rules.brands.brands)} brands, version {rules.version}")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option("--role", help="analyst, inspector or admin.")],
    db: DbOption = None,
) -> None:
    """Create a user of the web app; the password is read from stdin."""
    from review.users import UserError, create_user

    password = sys.stdin.readline().rstrip("\n")
    factory = _sessions(db)
    try:
        with factory() as session, session.begin():
            create_user(session, name, role, password)
    except UserError as exc:
        raise fail(str(exc), 2) from exc
    err.print(f"user {name!r} added with role {role}", markup=False)


def _sessions(db: str | None) -> Any:
    from storage.db import session_factory

    return session_factory(_db_url(db))


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


if __name__ == "__main__":
    main()

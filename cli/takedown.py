"""`takedown create|sent|verify|list|stats`: takedown requests to platforms (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.app import (
    ActorOption,
    DbOption,
    RulesOption,
    _actor,
    _db_url,
    _sessions,
    app,
    err,
    fail,
    out,
)

takedown_app = typer.Typer(help="Takedown requests to platforms: create, sent, verify, list, stats.", no_args_is_help=True)
app.add_typer(takedown_app, name="takedown")

OutOption = Annotated[Path, typer.Option("--out", help="Folder for the documents (one sub-folder per request).")]
PdfOption = Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print the document to PDF (Chromium).")]


def _ids(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    ids = [part.strip() for part in raw.split(",") if part.strip() != ""]
    if not ids:
        raise fail("--listings needs at least one listing id", 2)
    return ids


@takedown_app.command("create")
def takedown_create(
    case_id: Annotated[int, typer.Argument(help="A confirmed case.")],
    listings: Annotated[str | None, typer.Option(
        "--listings", help="Listing ids, comma-separated: the platform's (as `takedown list` shows them) "
                           "or ours; default: the seller's flagged listings.")] = None,
    out_dir: OutOption = Path("takedowns"),
    pdf: PdfOption = True,
    db: DbOption = None,
    rules_dir: RulesOption = None,
    actor: ActorOption = None,
) -> None:
    """Draft one request per platform: Vietnamese document (HTML + PDF) and a CSV for bulk IP forms."""
    from crawler.browser import ChromiumMissing
    from review.evidence import EvidenceError
    from review.takedown import TakedownError, create_takedowns

    listing_ids = _ids(listings)
    try:
        drafted = create_takedowns(_db_url(db), case_id, actor=_actor(actor, db), out_dir=out_dir,
                                   listing_ids=listing_ids, pdf=pdf, rules_dir=rules_dir)
    except (TakedownError, EvidenceError, ChromiumMissing) as exc:
        raise fail(str(exc)) from exc
    for item in drafted:
        out.print(f"takedown request #{item.request_id} drafted: {item.platform}, {item.listings} listings", markup=False)
        for path in item.files:
            out.print(f"  {path}  sha256 {item.hashes[path.name]}", markup=False)
    out.print(f"next: send it, then: listingwatch takedown sent {drafted[0].request_id} --via 'how it was sent'",
              markup=False)


@takedown_app.command("sent")
def takedown_sent(
    request_id: Annotated[int, typer.Argument(help="A drafted request.")],
    via: Annotated[str, typer.Option("--via", help="How it was sent: 'email ip@platform', 'portal', 'letter no. …'.")],
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Rewrite the request's documents here with the send time and deadline.")] = None,
    pdf: PdfOption = True,
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Record that a request went out (who, when, how); the platform's deadline starts now."""
    from crawler.browser import ChromiumMissing
    from detectors.vntime import format_local
    from review.evidence import EvidenceError
    from review.takedown import TakedownError, send_takedown

    try:
        request, files = send_takedown(_db_url(db), request_id, actor=_actor(actor, db), via=via,
                                       out_dir=out_dir, pdf=pdf)
    except (TakedownError, EvidenceError, ChromiumMissing) as exc:
        raise fail(str(exc)) from exc
    assert request.deadline is not None
    out.print(f"takedown request #{request.id} sent via {request.sent_via}; deadline {format_local(request.deadline)}",
              markup=False)
    for path in files:
        out.print(f"  {path}", markup=False)


@takedown_app.command("verify")
def takedown_verify(
    request_id: Annotated[int | None, typer.Argument(help="Check this request only (deadline or not).")] = None,
    due: Annotated[bool, typer.Option("--due", help="Requests past their deadline (the default).")] = False,
    every: Annotated[bool, typer.Option("--all", help="Every sent request, deadline passed or not.")] = False,
    demo_url: Annotated[list[str] | None, typer.Option(
        "--demo-url", help="Root of a running demo marketplace to allow (also $LISTINGWATCH_DEMO_URL).")] = None,
    capture: Annotated[bool, typer.Option(
        "--capture/--no-capture", help="Capture a listing still online as fresh evidence (Chromium).")] = True,
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Re-fetch the listings of sent requests: removed, still_online or unreachable (never removed)."""
    from crawler.seller_urls import demo_origins_from_env
    from review.takedown import TakedownError, run_verify

    if sum([request_id is not None, due, every]) > 1:
        raise fail("give one of REQUEST_ID, --due, --all", 2)
    origins = tuple(demo_url or ()) + demo_origins_from_env()
    try:
        reports = run_verify(_db_url(db), actor=_actor(actor, db), request_id=request_id, due_only=not every,
                             demo_urls=origins, capture=capture)
    except TakedownError as exc:
        raise fail(str(exc)) from exc
    if not reports:
        out.print("no takedown request to check", markup=False)
        return
    unreachable = 0
    for report in reports:
        style = {"escalated": "bold red", "verified_removed": "green"}.get(report.after, "yellow")
        out.print(f"[{style}]takedown request #{report.request_id} (case {report.case_id}): "
                  f"{report.before} -> {report.after.upper()}[/]", markup=True)
        for item in report.listings:
            unreachable += item.status == "unreachable"
            out.print(f"  {item.status:<12} {item.url}  ({item.detail})", markup=False)
    if unreachable:
        err.print(f"{unreachable} listing(s) could not be checked (blocked or unreachable): not counted as removed",
                  markup=False)


@takedown_app.command("list")
def takedown_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array (ids, statuses, deadlines, listings).")] = False,
    case_id: Annotated[int | None, typer.Option("--case", help="Only this case's requests.")] = None,
    db: DbOption = None,
) -> None:
    """Requests, most urgent first (escalated on top)."""
    from detectors.vntime import format_local
    from storage import repo

    with _sessions(db)() as session:
        requests = repo.list_takedowns(session, case_id=case_id)
        rows: list[dict[str, Any]] = [{
            "id": r.id, "case_id": r.case_id, "platform": r.platform, "status": r.status,
            "sent_at": None if r.sent_at is None else r.sent_at.isoformat(),
            "sent_via": r.sent_via,
            "deadline": None if r.deadline is None else r.deadline.isoformat(),
            "listings": [{"listing_id": x.listing_key, "url": x.url, "status": x.status} for x in r.listings],
        } for r in requests]
        deadlines = {r.id: format_local(r.deadline) for r in requests if r.deadline is not None}
    if as_json:
        out.print(json.dumps(rows, ensure_ascii=False, indent=2), markup=False, soft_wrap=True)
        return
    for row in rows:
        counts: dict[str, int] = {}
        for listing in row["listings"]:
            counts[listing["status"]] = counts.get(listing["status"], 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        out.print(f"#{row['id']} case {row['case_id']} {row['platform']} {row['status'].upper()} "
                  f"deadline {deadlines.get(row['id'], '-')}: {summary}", markup=False)


@takedown_app.command("stats")
def takedown_stats(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array: a row per platform and month.")] = False,
    db: DbOption = None,
) -> None:
    """What the steering committee reports: requests sent, removed within 24 h, removed late,
    still online, re-appearances, by platform and month (newest month first)."""
    from rich import box
    from rich.table import Table

    from review.takedown.stats import COUNT_FIELDS, takedown_stats, totals

    with _sessions(db)() as session:
        rows = takedown_stats(session)
    if as_json:
        out.print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2), markup=False, soft_wrap=True)
        return
    if not rows:
        out.print("no takedown request sent yet", markup=False)
        return
    # Short headers so the table fits 80 columns; --json has the full names.
    short = {"requests_sent": "reqs\nsent", "listings": "list-\nings", "removed_within_24h": "gone\n≤24h",
             "removed_late": "gone\nlate", "still_online": "still\nonline", "not_checked": "not\nchecked",
             "reappearances": "re-\nappear"}
    table = Table(title="takedowns by platform and month (Vietnam time); counts are listings, 'sent' requests",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("month", no_wrap=True, min_width=7)
    table.add_column("platform", no_wrap=True)
    for column in COUNT_FIELDS:
        table.add_column(short[column], justify="right")
    for r in rows:
        table.add_row(r.month, r.platform, *(str(getattr(r, name)) for name in COUNT_FIELDS))
    total = totals(rows)
    table.add_row("total", "", *(str(total[name]) for name in COUNT_FIELDS), style="bold")
    out.print(table, markup=False)

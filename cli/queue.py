"""`queue list|show|assign|decide`: the review queue, one open case per suspicious seller."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.app import DbOption, _actor, _sessions, app, fail, out

queue_app = typer.Typer(help="The review queue: one open case per suspicious seller.", no_args_is_help=True)
app.add_typer(queue_app, name="queue")


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

    from detectors.vntime import VIETNAM_TZ_NAME, format_local
    from review.queue import count_cases, list_cases

    statuses: str | list[str] = ["open", "in_review"] if status is None else status
    with _sessions(db)() as session:
        total = count_cases(session, status=statuses, platform=platform, min_risk=min_risk, assignee=assignee)
        cases = list_cases(
            session, status=statuses, platform=platform, min_risk=min_risk, assignee=assignee,
            limit=limit, offset=offset,
        )
        table = Table(title=f"{total} cases (times in {VIETNAM_TZ_NAME})", title_justify="left")
        for column in ("case", "status", "priority", "risk", "platform", "seller", "name", "assignee", "last scan"):
            table.add_column(column)
        for case in cases:
            table.add_row(
                str(case.id), case.status, f"{case.priority:.2f}", f"{case.risk:.2f}",
                case.seller.platform, case.seller.seller_key, case.seller.name or "",
                case.assignee.name if case.assignee is not None else "",
                format_local(case.last_scanned_at),
            )
    out.print(table, markup=False)


@queue_app.command("show")
def queue_show(case_id: Annotated[int, typer.Argument()], db: DbOption = None) -> None:
    """One case: the seller, its flagged listings with their signals, and the timeline."""
    from sqlalchemy import select

    from detectors.vntime import VIETNAM_TZ_NAME, format_local
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
        lines.append(f"timeline (times in {VIETNAM_TZ_NAME}):")
        for event in case_events(session, case.id):
            change = f" {event.from_status}->{event.to_status}" if event.to_status is not None else ""
            note = f": {event.note}" if event.note is not None else ""
            lines.append(f"  {format_local(event.at)} {event.actor} {event.kind}{change}{note}")
    for line in lines:
        out.print(line, markup=False)


@queue_app.command("assign")
def queue_assign(
    case_id: Annotated[int, typer.Argument()],
    assignee: Annotated[str, typer.Argument(help="User name of the inspector or analyst.")],
    actor: Annotated[str | None, typer.Option("--as", help="Who is assigning: a user (default: $USER).")] = None,
    db: DbOption = None,
) -> None:
    """Assign a case to a user."""
    from review.queue import ReviewError, assign

    who = _actor(actor, db)
    try:
        with _sessions(db)() as session, session.begin():
            assign(session, case_id, assignee, who)
    except ReviewError as exc:
        raise fail(str(exc)) from exc
    out.print(f"case {case_id} assigned to {assignee}", markup=False)


@queue_app.command("decide")
def queue_decide(
    case_id: Annotated[int, typer.Argument()],
    decision: Annotated[str, typer.Argument(help="in_review, confirmed, dismissed or referred.")],
    note: Annotated[str, typer.Option("--note", help="Why (required).")],
    actor: Annotated[str | None, typer.Option("--as", help="Who decides: a user (default: $USER).")] = None,
    db: DbOption = None,
) -> None:
    """Move a case on, with a note; every change is an event in the audit trail."""
    from review.queue import ReviewError, decide

    who = _actor(actor, db)
    try:
        with _sessions(db)() as session, session.begin():
            decide(session, case_id, decision, note, who)
    except ReviewError as exc:
        raise fail(str(exc)) from exc
    out.print(f"case {case_id} is now {decision}", markup=False)
